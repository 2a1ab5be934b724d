import { encryptSymmetric } from '../crypto/ciphertext.js';
import { KmsError, requireMember } from '../errors.js';
import type { Handler } from './context.js';
import { keyForUse, refuseDryRun } from './lib/key-for-use.js';
import { decryptWithKey } from './lib/symmetric.js';

export const reEncrypt: Handler<'ReEncrypt'> = (state, input, context) => {
  for (const algorithm of [input.SourceEncryptionAlgorithm, input.DestinationEncryptionAlgorithm]) {
    if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
      throw new KmsError(
        'UnsupportedOperationException',
        'byok-kms-sim re-encrypts only with symmetric encryption keys.',
      );
    }
  }
  const ciphertext = requireMember(input.CiphertextBlob, 'ciphertextBlob');
  const source = decryptWithKey(
    state,
    context,
    ciphertext,
    input.SourceEncryptionContext,
    input.SourceKeyId,
  );
  try {
    const destination = keyForUse(
      state,
      input.DestinationKeyId,
      context,
      'ENCRYPT_DECRYPT',
      'ReEncrypt',
    );
    if (destination.key.keySpec !== 'SYMMETRIC_DEFAULT') {
      throw new KmsError(
        'UnsupportedOperationException',
        'byok-kms-sim re-encrypts only with symmetric encryption keys.',
      );
    }
    refuseDryRun(input.DryRun);
    return {
      CiphertextBlob: encryptSymmetric(
        destination.key.keyId,
        destination.materialId,
        destination.material,
        source.plaintext,
        input.DestinationEncryptionContext,
      ),
      SourceKeyId: source.key.arn,
      KeyId: destination.key.arn,
      SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      SourceKeyMaterialId: source.materialId,
      DestinationKeyMaterialId: destination.materialId,
    };
  } finally {
    source.plaintext.fill(0);
  }
};
