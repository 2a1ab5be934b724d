import { createCipheriv, createDecipheriv } from 'node:crypto';

/** RFC 5649's alternative initial value; node:crypto needs it spelled out for id-aes*-wrap-pad. */
const KWP_IV = Buffer.from('A65959A6', 'hex');

function cipherName(kek: Buffer): string {
  if (kek.length !== 16 && kek.length !== 24 && kek.length !== 32)
    throw new RangeError('an AES key wrap KEK is 16, 24 or 32 bytes');
  return `id-aes${kek.length * 8}-wrap-pad`;
}

/** AES Key Wrap with Padding (RFC 5649) through OpenSSL; the KEK size picks AES-128/192/256. */
export function aesKeyWrapPad(kek: Buffer, plaintext: Buffer): Buffer {
  const cipher = createCipheriv(cipherName(kek), kek, KWP_IV);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

/** The inverse; throws when the integrity check of RFC 5649 fails. */
export function aesKeyUnwrapPad(kek: Buffer, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv(cipherName(kek), kek, KWP_IV);
  return Buffer.concat([decipher.update(wrapped), decipher.final()]);
}
