import { KmsError } from '../../errors.js';
import { decryptSymmetric, parseCiphertext } from '../../crypto/ciphertext.js';
import { requireUsable } from '../../state/store.js';
import type { SimState } from '../../state/store.js';
import type { KeyRecord } from '../../state/types.js';
import type { HandlerContext } from '../context.js';

function invalidCiphertext(): KmsError {
  return new KmsError(
    'InvalidCiphertextException',
    'The ciphertext is invalid or was not made with this key material or encryption context.',
  );
}

/** Decrypts one of the simulator's symmetric ciphertexts, with KMS's checks and exceptions. */
export function decryptWithKey(
  state: SimState,
  context: HandlerContext,
  blob: Buffer,
  encryptionContext: Record<string, string> | undefined,
  keyIdInput: string | undefined,
): { key: KeyRecord; plaintext: Buffer; materialId: string } {
  const parsed = parseCiphertext(blob);
  if (parsed === undefined) throw invalidCiphertext();
  let key: KeyRecord;
  if (keyIdInput !== undefined) {
    key = state.resolveKey(keyIdInput, context, { aliases: true });
    if (key.keyId !== parsed.keyId) {
      throw new KmsError(
        'IncorrectKeyException',
        'The key ID in the request does not identify a KMS key that can perform this operation.',
      );
    }
  } else {
    key = state.resolveKey(parsed.keyId, context, { aliases: false });
  }
  requireUsable(key);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('InvalidKeyUsageException', `${key.arn} is not a symmetric encryption key.`);
  }
  const material = key.materials.find((m) => m.id === parsed.keyMaterialId);
  if (material === undefined) throw invalidCiphertext();
  if (material.material === undefined) {
    throw new KmsError(
      'KMSInvalidStateException',
      `${key.arn} key material ${material.id} is pending import.`,
    );
  }
  try {
    return {
      key,
      plaintext: decryptSymmetric(parsed, material.material, encryptionContext),
      materialId: material.id,
    };
  } catch {
    throw invalidCiphertext();
  }
}
