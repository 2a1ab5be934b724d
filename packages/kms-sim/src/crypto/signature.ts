import {
  constants,
  createPrivateKey,
  createPublicKey,
  privateEncrypt,
  publicDecrypt,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { SigningScheme } from './algorithms.js';

const DIGEST_INFO_PREFIX: Record<SigningScheme['hash'], string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

export const DIGEST_BYTES: Record<SigningScheme['hash'], number> = {
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

function options(key: KeyObject, scheme: SigningScheme) {
  if (scheme.kind === 'ecdsa') return { key, dsaEncoding: 'der' as const };
  if (scheme.kind === 'pss') {
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_BYTES[scheme.hash] };
  }
  return { key, padding: constants.RSA_PKCS1_PADDING };
}

/**
 * Signs as KMS does: DER ECDSA signatures, PSS with a salt as long as the digest. A DIGEST
 * message is supported for PKCS #1 v1.5 only, since node:crypto cannot sign a bare digest
 * with ECDSA or PSS; the caller refuses the other combinations.
 */
export function signMessage(
  privateKeyDer: Buffer,
  scheme: SigningScheme,
  message: Buffer,
  isDigest: boolean,
): Buffer {
  const key = createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
  if (isDigest) {
    return privateEncrypt(
      { key, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[scheme.hash], 'hex'), message]),
    );
  }
  return sign(scheme.hash, message, options(key, scheme));
}

export function verifyMessage(
  privateKeyDer: Buffer,
  scheme: SigningScheme,
  message: Buffer,
  isDigest: boolean,
  signature: Buffer,
): boolean {
  const key = createPublicKey(
    createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' }),
  );
  try {
    if (isDigest) {
      const recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
      return recovered.equals(
        Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[scheme.hash], 'hex'), message]),
      );
    }
    return verify(scheme.hash, message, options(key, scheme), signature);
  } catch {
    return false;
  }
}
