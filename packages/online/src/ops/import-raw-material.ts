import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import type { Expiration } from './resolve-expiration.js';
import { waitForImported, type WaitOptions } from './wait-for-imported.js';

/** The seed procedure's step 8 (import-key-material with raw files), then the key's state. */
export async function importRawMaterial(
  kms: KmsPort,
  input: {
    readonly keyId: string;
    readonly importToken: Uint8Array;
    readonly encryptedKeyMaterial: Uint8Array;
    readonly expiration: Expiration;
  },
  wait: WaitOptions,
): Promise<{ readonly description: KeyDescription; readonly keyMaterialId: string | null }> {
  const result = await kms.importKeyMaterial({
    keyId: input.keyId,
    importToken: input.importToken,
    encryptedKeyMaterial: input.encryptedKeyMaterial,
    expirationModel: input.expiration.expirationModel,
    validTo: input.expiration.validTo,
  });
  const description = await waitForImported(kms, input.keyId, wait);
  return {
    description,
    keyMaterialId: result.keyMaterialId ?? description.currentKeyMaterialId ?? null,
  };
}
