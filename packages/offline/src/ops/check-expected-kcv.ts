import { timingSafeEqual } from 'node:crypto';
import { ByokError, expectedKcvOf, type ImportRequestBundle } from '@byok-ceremony/shared';
import { materialKcv } from './material-kcv.js';
import type { MaterialReady } from './wrap-request.js';

/**
 * Refuses material whose KCV is not the one the request expects (a re-import of the original
 * ceremony's material): KMS would refuse it, or worse, a symmetric key would not be the same key.
 */
export function assertExpectedKcvs(
  request: ImportRequestBundle,
  materials: ReadonlyMap<string, MaterialReady>,
): void {
  const problems: string[] = [];
  for (const [group, material] of materials) {
    const expected = expectedKcvOf(request.targets, group);
    if (expected === undefined) continue;
    const actual = materialKcv(material.keySpec, material.bytes);
    if (!timingSafeEqual(Buffer.from(actual), Buffer.from(expected)))
      problems.push(
        `material group ${group}: KCV ${actual}, but the original material's is ${expected}`,
      );
  }
  if (problems.length > 0)
    throw new ByokError(
      'ERR_KCV_MISMATCH',
      `the material is not the original one:\n${problems.join('\n')}`,
      {
        hint: 'A re-import needs the exact material of the original ceremony: use its backup (recover) or material file; nothing was wrapped.',
        details: problems,
      },
    );
}

const GENERATE_HINT =
  'Give the original material: --material-file FILE, or recover it from its backup; generating is for first imports and rotations.';

/** Refuses, before any code is asked, generating material for groups that must re-import the original. */
export function assertNoGeneratedReimport(
  request: ImportRequestBundle,
  generating: boolean,
  hint: string = GENERATE_HINT,
): void {
  if (!generating) return;
  const reimports = request.targets.filter((t) => t.importType === 'EXISTING_KEY_MATERIAL');
  const groups = new Set(
    request.targets
      .filter((t) => t.importType !== 'EXISTING_KEY_MATERIAL')
      .map((t) => t.materialGroup),
  );
  const blocked = reimports.filter((t) => !groups.has(t.materialGroup));
  if (blocked.length > 0)
    throw new ByokError(
      'ERR_USAGE',
      `the request re-imports existing material into ${blocked.map((t) => t.keyArn).join(', ')}: new material would be refused by KMS`,
      { hint },
    );
}
