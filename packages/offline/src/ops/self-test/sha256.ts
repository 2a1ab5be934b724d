import { createHash } from 'node:crypto';
import { sha256 } from '@byok-ceremony/shared';
import { runChecks, type KatResult } from './kat-result.js';
import { SHA256_VECTORS, type Sha256Vector } from './vectors.js';

/** SHA-256 (FIPS 180): both implementations, shared's (bundle digests, check codes, the log chain) and OpenSSL's. */
export function katSha256(vectors: readonly Sha256Vector[] = SHA256_VECTORS): KatResult {
  return runChecks(
    'SHA-256 (FIPS 180)',
    vectors.flatMap((v) => {
      const message = Buffer.from(v.text.repeat(v.repeat), 'latin1');
      return [
        [`${v.name}, shared`, () => Buffer.from(sha256(message)).toString('hex') === v.digest],
        [
          `${v.name}, node:crypto`,
          () => createHash('sha256').update(message).digest('hex') === v.digest,
        ],
      ] as const;
    }),
  );
}
