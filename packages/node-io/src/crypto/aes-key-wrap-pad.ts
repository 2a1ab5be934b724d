import { createCipheriv, createDecipheriv } from 'node:crypto';

/** RFC 5649's alternative initial value; node:crypto needs it spelled out for id-aes*-wrap-pad. */
const AES_KWP_IV = Buffer.from('A65959A6', 'hex');

/**
 * The KEK size picks AES-128/192/256: KMS's RSA_AES_KEY_WRAP_* algorithms use a 32-byte KEK,
 * and RFC 5649's own test vectors (byok-offline self-test) use a 24-byte one.
 */
function cipherName(kek: Buffer): string {
  if (kek.length !== 16 && kek.length !== 24 && kek.length !== 32)
    throw new RangeError('an AES key wrap KEK is 16, 24 or 32 bytes');
  return `id-aes${kek.length * 8}-wrap-pad`;
}

/** AES key wrap with padding (RFC 5649). */
export function aesKeyWrapPad(kek: Buffer, plaintext: Buffer): Buffer {
  const cipher = createCipheriv(cipherName(kek), kek, AES_KWP_IV);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

/** The inverse of aesKeyWrapPad; throws when the integrity check fails. */
export function aesKeyUnwrapPad(kek: Buffer, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv(cipherName(kek), kek, AES_KWP_IV);
  return Buffer.concat([decipher.update(wrapped), decipher.final()]);
}
