import { ByokError, componentBytesProblem, type KeySpec } from '@byok-ceremony/shared';
import { xorComponents } from './make-components.js';
import { materialKcv } from './material-kcv.js';
import { sameKcv } from './same-kcv.js';

/** One custodian's component as entered, with the KCV it must have (from the custodian's form). */
export interface ComponentEntry {
  readonly custodian: string;
  readonly component: Uint8Array;
  readonly kcv: string;
}

/**
 * Combines XOR components into the key (NIST SP 800-133 Rev. 2, 6.3). Each component's length
 * and its own KCV are checked before any is combined, so a mistyped component names its
 * custodian; then the result against `expectedKeyKcv`, the forms' key KCV: a component's own KCV
 * only says it is what its custodian typed, not that it belongs to this key, since anyone can
 * type 32 bytes with their KCV. The caller zeroes the material.
 */
export function combineComponents(
  keySpec: KeySpec,
  entries: readonly ComponentEntry[],
  expectedKeyKcv: string,
): { readonly material: Buffer; readonly kcv: string } {
  if (entries.length < 2)
    throw new ByokError(
      'ERR_USAGE',
      `${entries.length} component(s) given; split knowledge needs at least 2`,
      {
        hint: 'Each custodian enters one component (--components N).',
      },
    );
  const length = entries[0]!.component.length;
  for (const entry of entries) {
    const problem = componentBytesProblem(keySpec, entry.component.length);
    if (problem !== undefined || entry.component.length !== length)
      throw new ByokError(
        'ERR_COMPONENT_INVALID',
        `${entry.custodian}'s component has ${entry.component.length} bytes: ${problem ?? `the others have ${length}`}`,
        { hint: "Re-enter the component from the custodian's form; count its hex digits." },
      );
    // A view, not a copy: nothing left to zero.
    const view = Buffer.from(
      entry.component.buffer,
      entry.component.byteOffset,
      entry.component.length,
    );
    const kcv = materialKcv(keySpec, view);
    if (!sameKcv(kcv, entry.kcv))
      throw new ByokError(
        'ERR_COMPONENT_INVALID',
        `${entry.custodian}'s component has KCV ${kcv}, not ${entry.kcv.trim().toUpperCase()} as on the form`,
        {
          hint: "The component was mistyped or is another key's: re-enter it; nothing was combined.",
        },
      );
  }
  const material = xorComponents(entries.map((e) => e.component));
  const kcv = materialKcv(keySpec, material);
  if (!sameKcv(kcv, expectedKeyKcv)) {
    material.fill(0);
    throw new ByokError(
      'ERR_COMPONENT_INVALID',
      `the combined key has KCV ${kcv}, not ${expectedKeyKcv.trim().toUpperCase()}, the key KCV of the forms`,
      {
        hint: "A component is not from this key's forms, or the key KCV was mistyped: check each form's key KCV and ceremony id. Nothing was wrapped.",
      },
    );
  }
  return { material, kcv };
}
