import type { ImportTarget, ImportType } from '@byok-ceremony/shared';

/**
 * ImportKeyMaterial's ImportType, KeyMaterialId and KeyMaterialDescription for a target: only
 * for symmetric encryption keys (KMS takes them for no other key spec), the import type only
 * from a version 2 or later request, and the KeyMaterialId only with EXISTING_KEY_MATERIAL.
 */
export function importTypeParameters(
  target: ImportTarget,
  keyMaterialDescription?: string,
): {
  importType?: ImportType;
  keyMaterialId?: string;
  keyMaterialDescription?: string;
} {
  if (target.keySpec !== 'SYMMETRIC_DEFAULT') return {};
  const described = keyMaterialDescription === undefined ? {} : { keyMaterialDescription };
  if (target.importType === undefined) return described;
  if (target.importType === 'EXISTING_KEY_MATERIAL' && typeof target.keyMaterialId === 'string')
    return { importType: target.importType, keyMaterialId: target.keyMaterialId, ...described };
  return { importType: target.importType, ...described };
}
