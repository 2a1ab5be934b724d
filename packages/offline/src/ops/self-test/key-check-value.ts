import type { KeySpec } from '@byok-ceremony/shared';
import { materialKcv } from '../material-kcv.js';
import { hex, runChecks, type KatResult } from './kat-result.js';
import { KCV_VECTORS, RSA_OAEP_VECTORS, type KcvVector } from './vectors.js';

/** How the tool computes a material's check value (`materialKcv`), replaceable in tests. */
export type KcvFunction = (keySpec: KeySpec, material: Buffer) => string;

/**
 * The RSA-OAEP vectors' key as PKCS#8 DER: the body of its PEM (`PRIVATE KEY` is PKCS#8), read
 * without OpenSSL, whose PEM decoder search and re-export cost more than the check value itself.
 */
function pkcs8OfPem(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----(BEGIN|END) PRIVATE KEY-----|\s/g, ''), 'base64');
}

function materialOf(vector: KcvVector): Buffer {
  if (vector.material !== 'rsa-oaep-test-key') return hex(vector.material);
  return pkcs8OfPem(RSA_OAEP_VECTORS.privateKeyPem);
}

/**
 * The key check values themselves, for every rule (symmetric, HMAC, private key): a KCV that
 * is wrong on this machine would let custodians and the import proof agree on the wrong key,
 * even with AES-CMAC and HMAC right on their own vectors.
 */
export function katKeyCheckValue(
  vectors: readonly KcvVector[] = KCV_VECTORS,
  kcvOf: KcvFunction = materialKcv,
): KatResult {
  return runChecks(
    'Key check values',
    vectors.map((v) => [v.name, () => kcvOf(v.keySpec, materialOf(v)) === v.kcv]),
  );
}
