import { algorithmsOf, signingSchemeOf } from '../../crypto/algorithms.js';
import type { SigningScheme } from '../../crypto/algorithms.js';
import { DIGEST_BYTES } from '../../crypto/signature.js';
import { KmsError } from '../../errors.js';
import type { KeyRecord } from '../../state/types.js';

/** Checks the signing algorithm and message type against the key, as Sign and Verify do. */
export function signingSchemeFor(
  key: KeyRecord,
  algorithm: string,
  messageType: string | undefined,
  message: Buffer,
): { scheme: SigningScheme; isDigest: boolean } {
  const scheme = signingSchemeOf(algorithm);
  if (
    scheme === undefined ||
    !(algorithmsOf(key.keySpec, key.keyUsage).SigningAlgorithms ?? ([] as string[])).some(
      (allowed) => allowed === algorithm,
    )
  ) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `The signing algorithm ${algorithm} is not valid for ${key.arn}.`,
    );
  }
  const isDigest = messageType === 'DIGEST';
  if (isDigest) {
    if (message.length !== DIGEST_BYTES[scheme.hash]) {
      throw new KmsError(
        'ValidationException',
        `Digest is invalid length for algorithm ${algorithm}.`,
      );
    }
    if (scheme.kind !== 'pkcs1') {
      throw new KmsError(
        'UnsupportedOperationException',
        `byok-kms-sim signs a DIGEST message only with RSASSA_PKCS1_V1_5 algorithms; send MessageType RAW for ${algorithm}.`,
      );
    }
  }
  return { scheme, isDigest };
}
