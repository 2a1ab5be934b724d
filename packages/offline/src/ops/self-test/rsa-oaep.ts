import { constants, createPrivateKey, createPublicKey, privateDecrypt } from 'node:crypto';
import type { WrappingAlgorithm } from '@byok-ceremony/shared';
import { aesKeyUnwrapPad } from '@byok-ceremony/node-io/key-material';
import { wrapKeyMaterial } from '../wrap-key-material.js';
import { hex, runChecks, type KatResult } from './kat-result.js';
import { RSA_OAEP_VECTORS, type RsaOaepVectors } from './vectors.js';

const ROUND_TRIP: readonly WrappingAlgorithm[] = [
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'RSA_AES_KEY_WRAP_SHA_1',
  'RSA_AES_KEY_WRAP_SHA_256',
];

/**
 * RSA-OAEP: the fixed vectors decrypt to their plaintexts, and byok-offline's own wrapKeyMaterial,
 * for every wrapping algorithm, gives a blob that the fixed key opens back to the material.
 */
export function katRsaOaep(v: RsaOaepVectors = RSA_OAEP_VECTORS): KatResult {
  const privateKey = createPrivateKey(v.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const modulusBytes = (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  const decrypt = (oaepHash: 'sha1' | 'sha256', data: Buffer): Buffer =>
    privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  const material = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
  return runChecks('RSA-OAEP decryption and wrapping', [
    ...v.vectors.map(
      (vector) =>
        [
          vector.name,
          () => decrypt(vector.hash, hex(vector.ciphertext)).equals(hex(vector.plaintext)),
        ] as const,
    ),
    ...ROUND_TRIP.map(
      (algorithm) =>
        [
          `wrapKeyMaterial ${algorithm} round trip`,
          () => {
            const blob = wrapKeyMaterial(material, publicKey, algorithm);
            const hash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
            if (!algorithm.startsWith('RSA_AES_KEY_WRAP_'))
              return decrypt(hash, blob).equals(material);
            const aesKey = decrypt(hash, blob.subarray(0, modulusBytes));
            return aesKeyUnwrapPad(aesKey, blob.subarray(modulusBytes)).equals(material);
          },
        ] as const,
    ),
  ]);
}
