import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { hex, runChecks, type KatResult } from './kat-result.js';
import { ED25519_VECTORS, type Ed25519Vector } from './vectors.js';

/** PKCS#8 DER prefix of an Ed25519 private key (RFC 8410): the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = hex('302e020100300506032b657004220420');
/** SPKI DER prefix of an Ed25519 public key: the 32-byte key follows. */
const SPKI_ED25519_PREFIX = hex('302a300506032b6570032100');

/** Ed25519 (RFC 8032), the signature of operator confirmations: key derivation, sign, verify, and a refused forgery. */
export function katEd25519(vectors: readonly Ed25519Vector[] = ED25519_VECTORS): KatResult {
  return runChecks(
    'Ed25519 (RFC 8032)',
    vectors.map((v) => [
      v.name,
      () => {
        const privateKey = createPrivateKey({
          key: Buffer.concat([PKCS8_ED25519_PREFIX, hex(v.secretKey)]),
          format: 'der',
          type: 'pkcs8',
        });
        const publicDer = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
        const publicKey = createPublicKey({
          key: Buffer.concat([SPKI_ED25519_PREFIX, hex(v.publicKey)]),
          format: 'der',
          type: 'spki',
        });
        const signature = sign(null, hex(v.message), privateKey);
        const forged = Buffer.from(signature);
        forged[0]! ^= 1;
        return (
          publicDer.subarray(SPKI_ED25519_PREFIX.length).equals(hex(v.publicKey)) &&
          signature.equals(hex(v.signature)) &&
          verify(null, hex(v.message), publicKey, hex(v.signature)) &&
          !verify(null, hex(v.message), publicKey, forged)
        );
      },
    ]),
  );
}
