import { createCipheriv, generateKeyPairSync, scryptSync } from 'node:crypto';
import {
  OPERATOR_KEY_FORMAT,
  OPERATOR_KEY_VERSION,
  operatorKeyAad,
  type OperatorKeyFile,
  type ScryptParameters,
} from '@byok-ceremony/shared';

/** scrypt at 32 MiB: about a tenth of a second per guess on a laptop. */
export const OPERATOR_KEY_SCRYPT: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };

export function scryptMaxmem(params: ScryptParameters): number {
  return 256 * params.N * params.r * params.p;
}

/**
 * Makes an operator's Ed25519 key pair and encrypts the private key under the passphrase
 * (scrypt, then AES-256-GCM bound to the name and public key). The caller zeroes the passphrase.
 */
export function createOperatorKey(
  name: string,
  passphrase: Uint8Array,
  random: (bytes: number) => Buffer,
  params: ScryptParameters = OPERATOR_KEY_SCRYPT,
): OperatorKeyFile {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const salt = random(16);
  const iv = random(12);
  const key = scryptSync(passphrase, salt, 32, { ...params, maxmem: scryptMaxmem(params) });
  try {
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(operatorKeyAad(name, spki));
    const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
    return {
      format: OPERATOR_KEY_FORMAT,
      version: OPERATOR_KEY_VERSION,
      name,
      publicKey: spki,
      privateKey: {
        kdf: 'scrypt',
        ...params,
        salt: salt.toString('base64'),
        cipher: 'aes-256-gcm',
        iv: iv.toString('base64'),
        ciphertext: ciphertext.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
      },
    };
  } finally {
    key.fill(0);
    pkcs8.fill(0);
  }
}
