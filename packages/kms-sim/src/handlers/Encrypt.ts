import { constants, createPrivateKey, createPublicKey, publicEncrypt } from 'node:crypto';
import { encryptSymmetric } from '../crypto/ciphertext.js';
import { KmsError } from '../errors.js';
import type { Handler } from './context.js';
import { keyForUse, refuseDryRun } from './lib/key-for-use.js';

export const encrypt: Handler<'Encrypt'> = (state, input, context) => {
  const { key, material, materialId } = keyForUse(
    state,
    input.KeyId,
    context,
    'ENCRYPT_DECRYPT',
    'Encrypt',
  );
  const algorithm = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
  refuseDryRun(input.DryRun);
  if (key.keySpec === 'SYMMETRIC_DEFAULT') {
    if (algorithm !== 'SYMMETRIC_DEFAULT') {
      throw new KmsError(
        'InvalidKeyUsageException',
        `The encryption algorithm ${algorithm} is not valid for ${key.arn}.`,
      );
    }
    return {
      CiphertextBlob: encryptSymmetric(
        key.keyId,
        materialId,
        material,
        input.Plaintext,
        input.EncryptionContext,
      ),
      KeyId: key.arn,
      EncryptionAlgorithm: algorithm,
    };
  }
  if (algorithm !== 'RSAES_OAEP_SHA_1' && algorithm !== 'RSAES_OAEP_SHA_256') {
    throw new KmsError(
      'InvalidKeyUsageException',
      `The encryption algorithm ${algorithm} is not valid for ${key.arn}.`,
    );
  }
  if (input.EncryptionContext !== undefined) {
    throw new KmsError(
      'ValidationException',
      'EncryptionContext is not supported with asymmetric KMS keys.',
    );
  }
  const publicKey = createPublicKey(
    createPrivateKey({ key: material, format: 'der', type: 'pkcs8' }),
  );
  return {
    CiphertextBlob: publicEncrypt(
      {
        key: publicKey,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256',
      },
      input.Plaintext,
    ),
    KeyId: key.arn,
    EncryptionAlgorithm: algorithm,
  };
};
