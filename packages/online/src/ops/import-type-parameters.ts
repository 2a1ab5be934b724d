import type { ImportTarget, ImportType } from '@byok-ceremony/shared';

/**
 * ImportKeyMaterial's ImportType and KeyMaterialId for a target: only for symmetric encryption
 * keys (KMS takes them for no other key spec), only from a version 2 request, and the
 * KeyMaterialId only with EXISTING_KEY_MATERIAL.
 */
export function importTypeParameters(target: ImportTarget): {
  importType?: ImportType;
  keyMaterialId?: string;
} {
  if (target.keySpec !== 'SYMMETRIC_DEFAULT' || target.importType === undefined) return {};
  if (target.importType === 'EXISTING_KEY_MATERIAL' && typeof target.keyMaterialId === 'string')
    return { importType: target.importType, keyMaterialId: target.keyMaterialId };
  return { importType: target.importType };
}
