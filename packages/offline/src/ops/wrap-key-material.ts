import { constants, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { aesKeyWrapPad } from '@byok-ceremony/node-io/key-material';
import {
  hashOfWrappingAlgorithm,
  isAesKeyWrapAlgorithm,
  type WrappingAlgorithm,
} from '@byok-ceremony/shared';

function oaepEncrypt(key: KeyObject, hash: 'sha1' | 'sha256', plaintext: Buffer): Buffer {
  // oaepHash sets the OAEP and MGF1 hash together; its default is sha1, so it is always given.
  return publicEncrypt(
    { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
    plaintext,
  );
}

/**
 * The EncryptedKeyMaterial blob for ImportKeyMaterial. RSAES_OAEP_*: RSA-OAEP of the material.
 * RSA_AES_KEY_WRAP_*: RSA-OAEP of a fresh AES-256 key, followed by AES-KWP of the material.
 */
export function wrapKeyMaterial(
  material: Buffer,
  wrappingKey: KeyObject,
  algorithm: WrappingAlgorithm,
): Buffer {
  const hash = hashOfWrappingAlgorithm(algorithm);
  if (!isAesKeyWrapAlgorithm(algorithm)) return oaepEncrypt(wrappingKey, hash, material);
  const aesKey = randomBytes(32);
  try {
    const wrappedMaterial = aesKeyWrapPad(aesKey, material);
    return Buffer.concat([oaepEncrypt(wrappingKey, hash, aesKey), wrappedMaterial]);
  } finally {
    aesKey.fill(0);
  }
}
