import { constants, createDecipheriv, privateDecrypt, type KeyObject } from 'node:crypto';

/** The test-side inverse of wrapping, with the throwaway private wrapping key. */
export function unwrapBlob(blob: Buffer, privateKey: KeyObject, algorithm: string): Buffer {
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const decryptOaep = (data: Buffer): Buffer =>
    privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (!algorithm.startsWith('RSA_AES_KEY_WRAP_')) return decryptOaep(blob);
  const modulusBytes = (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  const aesKey = decryptOaep(blob.subarray(0, modulusBytes));
  const decipher = createDecipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('A65959A6', 'hex'));
  return Buffer.concat([decipher.update(blob.subarray(modulusBytes)), decipher.final()]);
}
