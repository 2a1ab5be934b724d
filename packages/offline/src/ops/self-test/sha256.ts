import { createHash } from 'node:crypto';
import { sha256 } from '@byok-ceremony/shared';
import { runChecks, type KatResult } from './kat-result.js';
import { SHA256_VECTORS, type Sha256Vector } from './vectors.js';

/**
 * SHA-256 (FIPS 180): both implementations, shared's (bundle digests, check codes, the log chain)
 * and OpenSSL's; the million-byte vector through OpenSSL's only (`nodeCryptoOnly`).
 */
export function katSha256(vectors: readonly Sha256Vector[] = SHA256_VECTORS): KatResult {
  return runChecks(
    'SHA-256 (FIPS 180)',
    vectors.flatMap((v) => {
      // Filled natively: a string of a million characters made and copied took longer than its hash.
      const message = Buffer.alloc(v.text.length * v.repeat, v.text, 'latin1');
      const shared = [
        `${v.name}, shared`,
        () => Buffer.from(sha256(message)).toString('hex') === v.digest,
      ] as const;
      return [
        ...(v.nodeCryptoOnly === true ? [] : [shared]),
        [
          `${v.name}, node:crypto`,
          () => createHash('sha256').update(message).digest('hex') === v.digest,
        ],
      ] as const;
    }),
  );
}
