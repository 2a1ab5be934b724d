import type { KeyMaterialEntry } from '../kms/kms-port.js';

/** Whether ListKeyRotations names this material imported (not deleted or expired). */
export function holdsImported(
  materials: readonly KeyMaterialEntry[],
  keyMaterialId: string | undefined,
): boolean {
  return materials.some((m) => m.keyMaterialId === keyMaterialId && m.importState === 'IMPORTED');
}
