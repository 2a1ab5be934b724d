import { constants, createPrivateKey, privateDecrypt } from 'node:crypto';
import { KmsError, requireMember } from '../errors.js';
import type { Handler } from './context.js';
import { keyForUse, refuseDryRun } from './lib/key-for-use.js';
import { decryptWithKey } from './lib/symmetric.js';

export const decrypt: Handler<'Decrypt'> = (state, input, context) => {
  // The model leaves CiphertextBlob optional (for Recipient, which the simulator does not do).
  const ciphertext = requireMember(input.CiphertextBlob, 'ciphertextBlob');
  const algorithm = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
  if (algorithm === 'SYMMETRIC_DEFAULT') {
    const { key, plaintext, materialId } = decryptWithKey(
      state,
      context,
      ciphertext,
      input.EncryptionContext,
      input.KeyId,
    );
    refuseDryRun(input.DryRun);
    return {
      KeyId: key.arn,
      Plaintext: plaintext,
      EncryptionAlgorithm: algorithm,
      KeyMaterialId: materialId,
    };
  }
  if (input.KeyId === undefined) {
    throw new KmsError(
      'ValidationException',
      'KeyId is required when decrypting with an asymmetric KMS key.',
    );
  }
  const { key, material } = keyForUse(state, input.KeyId, context, 'ENCRYPT_DECRYPT', 'Decrypt');
  if (
    key.keySpec === 'SYMMETRIC_DEFAULT' ||
    (algorithm !== 'RSAES_OAEP_SHA_1' && algorithm !== 'RSAES_OAEP_SHA_256')
  ) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `The encryption algorithm ${algorithm} is not valid for ${key.arn}.`,
    );
  }
  refuseDryRun(input.DryRun);
  try {
    const plaintext = privateDecrypt(
      {
        key: createPrivateKey({ key: material, format: 'der', type: 'pkcs8' }),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256',
      },
      ciphertext,
    );
    return { KeyId: key.arn, Plaintext: plaintext, EncryptionAlgorithm: algorithm };
  } catch {
    throw new KmsError('InvalidCiphertextException', 'The ciphertext is invalid.');
  }
};
