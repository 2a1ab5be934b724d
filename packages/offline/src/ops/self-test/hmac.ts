import { createHmac } from 'node:crypto';
import { hex, runChecks, type KatResult } from './kat-result.js';
import { HMAC_VECTORS, type HmacHash, type HmacVector } from './vectors.js';

const HASHES: readonly HmacHash[] = ['sha224', 'sha256', 'sha384', 'sha512'];

/** HMAC-SHA-224/256/384/512 (RFC 4231): the hashes of KMS's HMAC key specs and their check values. */
export function katHmac(vectors: readonly HmacVector[] = HMAC_VECTORS): KatResult {
  return runChecks(
    'HMAC-SHA-2 (RFC 4231)',
    vectors.flatMap((v) =>
      HASHES.map(
        (hash) =>
          [
            `${v.name} ${hash}`,
            () =>
              createHmac(hash, hex(v.key)).update(hex(v.data)).digest().equals(hex(v.mac[hash])),
          ] as const,
      ),
    ),
  );
}
