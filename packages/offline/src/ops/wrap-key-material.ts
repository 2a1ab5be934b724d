import { constants, createCipheriv, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import {
  hashOfWrappingAlgorithm,
  isAesKeyWrapAlgorithm,
  type WrappingAlgorithm,
} from '@byok-ceremony/shared';

/** RFC 5649's alternative initial value; node:crypto needs it spelled out for id-aes256-wrap-pad. */
const KWP_IV = Buffer.from('A65959A6', 'hex');

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
    const cipher = createCipheriv('id-aes256-wrap-pad', aesKey, KWP_IV);
    const wrappedMaterial = Buffer.concat([cipher.update(material), cipher.final()]);
    return Buffer.concat([oaepEncrypt(wrappingKey, hash, aesKey), wrappedMaterial]);
  } finally {
    aesKey.fill(0);
  }
}
