import { ByokError, type MaterialSet, type MaterialSetGroup } from '@byok-ceremony/shared';
import { loadMaterial } from './load-material.js';
import { materialKcv } from './material-kcv.js';

/**
 * Checks every group of a parsed set as wrap checks a material file (size, key type, curve,
 * modulus, primes) and recomputes its KCV, which must equal the one the set records. Returns
 * the set with each material in the form KMS imports; the input set's Buffers are zeroed.
 */
export function checkMaterialSet(set: MaterialSet): MaterialSet {
  const groups: MaterialSetGroup[] = [];
  try {
    for (const group of set.groups) {
      let material: Buffer;
      const input = Buffer.from(group.material);
      try {
        material = loadMaterial(input, group.keySpec);
      } catch (error) {
        if (error instanceof ByokError)
          throw new ByokError(
            'ERR_MATERIAL_SET_INVALID',
            `material group ${group.materialGroup}: ${error.message}`,
            {
              hint: 'The set was changed or was not made for these keys: recover from another backup.',
            },
          );
        throw error;
      } finally {
        input.fill(0);
      }
      groups.push({ ...group, material });
      const kcv = materialKcv(group.keySpec, material);
      if (kcv !== group.kcv)
        throw new ByokError(
          'ERR_MATERIAL_SET_INVALID',
          `material group ${group.materialGroup}: the material's KCV is ${kcv}, but the set records ${group.kcv}`,
          {
            hint: 'The material was changed or does not belong to this record: do not import it; recover from another backup.',
          },
        );
    }
  } catch (error) {
    for (const g of groups) g.material.fill(0);
    throw error;
  } finally {
    for (const g of set.groups) g.material.fill(0);
  }
  return { ...set, groups };
}
