import { randomBytes } from 'node:crypto';
import { encryptSymmetric } from '../crypto/ciphertext.js';
import { KmsError } from '../errors.js';
import type { Handler } from './context.js';
import { keyForUse, refuseDryRun } from './lib/key-for-use.js';

export const generateDataKey: Handler<'GenerateDataKey'> = (state, input, context) => {
  if ((input.NumberOfBytes === undefined) === (input.KeySpec === undefined)) {
    throw new KmsError('ValidationException', 'Please specify either number of bytes or key spec.');
  }
  const { key, material, materialId } = keyForUse(
    state,
    input.KeyId,
    context,
    'ENCRYPT_DECRYPT',
    'GenerateDataKey',
  );
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('InvalidKeyUsageException', `${key.arn} is not a symmetric encryption key.`);
  }
  refuseDryRun(input.DryRun);
  const plaintext = randomBytes(input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32));
  return {
    CiphertextBlob: encryptSymmetric(
      key.keyId,
      materialId,
      material,
      plaintext,
      input.EncryptionContext,
    ),
    Plaintext: plaintext,
    KeyId: key.arn,
    KeyMaterialId: materialId,
  };
};
