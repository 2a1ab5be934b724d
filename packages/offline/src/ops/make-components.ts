import { randomBytes } from 'node:crypto';
import {
  ByokError,
  componentBytesProblem,
  KEY_SPEC_RULES,
  type KeySpec,
} from '@byok-ceremony/shared';
import { materialKcv } from './material-kcv.js';

export interface KeyComponents {
  /** The combined key: the XOR of the components. The caller zeroes it. */
  readonly material: Buffer;
  readonly keyKcv: string;
  /** Each custodian's component with its own KCV. The caller zeroes them. */
  readonly components: readonly { readonly component: Buffer; readonly kcv: string }[];
}

/** XOR of equal-length components into a new Buffer. */
export function xorComponents(components: readonly Uint8Array[]): Buffer {
  const out = Buffer.alloc(components[0]!.length);
  for (const c of components) for (let i = 0; i < out.length; i++) out[i]! ^= c[i]!;
  return out;
}

/**
 * New material for one key as `custodians` independently generated random components whose
 * XOR is the key (NIST SP 800-133 Rev. 2, section 6.3): no custodian alone knows anything of it.
 */
export function makeComponents(keySpec: KeySpec, custodians: number): KeyComponents {
  const rule = KEY_SPEC_RULES[keySpec].material;
  const length =
    rule?.kind === 'symmetric' ? rule.bytes : rule?.kind === 'hmac' ? rule.minBytes : 0;
  const problem = componentBytesProblem(keySpec, length);
  if (problem !== undefined)
    throw new ByokError('ERR_USAGE', problem, {
      hint: 'XOR components are for symmetric and HMAC keys; back up private keys with --backup shamir:M-of-N or age.',
    });
  if (!Number.isInteger(custodians) || custodians < 2 || custodians > 9)
    throw new ByokError(
      'ERR_USAGE',
      `--custodians ${custodians}: split knowledge needs 2 to 9 custodians`,
      {
        hint: 'Give --custodians 2 or more (one component each).',
      },
    );
  const components = Array.from({ length: custodians }, () => randomBytes(length));
  const material = xorComponents(components);
  return {
    material,
    keyKcv: materialKcv(keySpec, material),
    components: components.map((component) => ({
      component,
      kcv: materialKcv(keySpec, component),
    })),
  };
}
