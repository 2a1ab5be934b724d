import { constants, privateDecrypt, type KeyObject } from 'node:crypto';
import { aesKeyUnwrapPad } from '@byok-ceremony/node-io/key-material';
import {
  MODULUS_BYTES,
  hashOfWrappingAlgorithm,
  isAesKeyWrapAlgorithm,
} from '@byok-ceremony/shared';
import type { WrappingAlgorithm, WrappingKeySpec } from '@byok-ceremony/shared';

/**
 * Undoes what the operator's wrapping did: RSA-OAEP, or RSA-OAEP of an AES key followed by
 * RFC 5649 key wrap of the material. Throws on any failure; the caller answers
 * InvalidCiphertextException without saying which step failed, as KMS does.
 */
export function unwrapKeyMaterial(
  key: KeyObject,
  wrappingKeySpec: WrappingKeySpec,
  algorithm: WrappingAlgorithm,
  encrypted: Buffer,
): Buffer {
  const oaep = (data: Buffer) =>
    privateDecrypt(
      {
        key,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: hashOfWrappingAlgorithm(algorithm),
      },
      data,
    );
  const modulusBytes = MODULUS_BYTES[wrappingKeySpec];
  if (!isAesKeyWrapAlgorithm(algorithm)) {
    if (encrypted.length !== modulusBytes)
      throw new Error('wrapped length is not the modulus size');
    return oaep(encrypted);
  }
  if (encrypted.length <= modulusBytes)
    throw new Error('no key-wrapped material after the RSA block');
  const aesKey = oaep(encrypted.subarray(0, modulusBytes));
  try {
    if (aesKey.length !== 32) throw new Error('the wrapped AES key is not 256 bits');
    return aesKeyUnwrapPad(aesKey, encrypted.subarray(modulusBytes));
  } finally {
    aesKey.fill(0);
  }
}
