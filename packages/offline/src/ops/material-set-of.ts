import type { ImportRequestBundle, MaterialSet, MaterialSetGroup } from '@byok-ceremony/shared';
import { materialKcv } from './material-kcv.js';
import type { MaterialReady } from './wrap-request.js';

/**
 * The ready material of a request as one material set (each group with the ARNs of its targets,
 * its key spec and KCV), for the backups written before anything is wrapped. The set's material
 * Buffers are the caller's: whoever owns the MaterialReady zeroes them.
 */
export function materialSetOf(
  request: ImportRequestBundle,
  materials: readonly MaterialReady[],
  createdAt: string,
): MaterialSet {
  const groups: MaterialSetGroup[] = materials.map((m) => ({
    materialGroup: m.materialGroup,
    keySpec: m.keySpec,
    keyArns: request.targets
      .filter((t) => t.materialGroup === m.materialGroup)
      .map((t) => t.keyArn),
    kcv: materialKcv(m.keySpec, m.bytes),
    material: m.bytes,
  }));
  return { ceremonyId: request.ceremonyId, createdAt, groups };
}
