import { createCipheriv, createDecipheriv } from 'node:crypto';

/** RFC 5649's alternative initial value; node:crypto needs it spelled out for id-aes256-wrap-pad. */
const AES_KWP_IV = Buffer.from('A65959A6', 'hex');

/** AES-256 key wrap with padding (RFC 5649), as KMS's RSA_AES_KEY_WRAP_* algorithms use it. */
export function aesKeyWrapPad(kek: Buffer, plaintext: Buffer): Buffer {
  const cipher = createCipheriv('id-aes256-wrap-pad', kek, AES_KWP_IV);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

/** The inverse of aesKeyWrapPad; throws when the integrity check fails. */
export function aesKeyUnwrapPad(kek: Buffer, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv('id-aes256-wrap-pad', kek, AES_KWP_IV);
  return Buffer.concat([decipher.update(wrapped), decipher.final()]);
}
