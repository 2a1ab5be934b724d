import { createDecipheriv, createPrivateKey, createPublicKey, scryptSync, sign } from 'node:crypto';
import {
  ByokError,
  operatorKeyAad,
  scryptMemoryBytes,
  type AuditSigner,
  type OperatorKeyFile,
} from '@byok-ceremony/shared';

/** The passphrase given does not open the key: at a terminal it may be typed again. */
export class WrongPassphraseError extends ByokError {
  constructor(file: OperatorKeyFile, path: string) {
    super('ERR_OPERATOR_KEY', `the passphrase does not open ${file.name}'s operator key ${path}`, {
      hint: `${file.name} types the passphrase chosen at operator keygen; if it is lost, make a new operator key and record the change.`,
    });
  }
}

/**
 * Opens an operator key with its passphrase and returns a signer for audit entries. The private
 * key stays inside a KeyObject; the decrypted DER and the derived key are zeroed at once.
 */
export function unlockOperatorKey(
  file: OperatorKeyFile,
  passphrase: Uint8Array,
  path: string,
): AuditSigner {
  const k = file.privateKey;
  const params = { N: k.N, r: k.r, p: k.p };
  const key = scryptSync(passphrase, Buffer.from(k.salt, 'base64'), 32, {
    ...params,
    maxmem: scryptMemoryBytes(params),
  });
  let pkcs8: Buffer | undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(k.iv, 'base64'));
    decipher.setAAD(operatorKeyAad(file.name, file.publicKey));
    decipher.setAuthTag(Buffer.from(k.tag, 'base64'));
    try {
      pkcs8 = Buffer.concat([
        decipher.update(Buffer.from(k.ciphertext, 'base64')),
        decipher.final(),
      ]);
    } catch {
      throw new WrongPassphraseError(file, path);
    }
    const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    const derived = createPublicKey(privateKey)
      .export({ type: 'spki', format: 'der' })
      .toString('base64');
    if (privateKey.asymmetricKeyType !== 'ed25519' || derived !== file.publicKey) {
      throw new ByokError(
        'ERR_OPERATOR_KEY',
        `${path}: the private key does not belong to its public key`,
        {
          hint: 'The key file was altered; make a new operator key.',
        },
      );
    }
    return {
      operator: file.name,
      publicKey: file.publicKey,
      sign: (payload) => sign(null, payload, privateKey).toString('base64'),
    };
  } finally {
    key.fill(0);
    pkcs8?.fill(0);
  }
}
