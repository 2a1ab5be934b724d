import { createHash } from 'node:crypto';
import { sha256 } from '@byok-ceremony/shared';
import { runChecks, type KatResult } from './kat-result.js';
import { SHA256_VECTORS, type Sha256Vector } from './vectors.js';

/** About this many bytes per update: the text repeated whole, so pieces end where copies do. */
const PIECE_BYTES = 16 * 1024;

/**
 * OpenSSL's SHA-256 of `text` repeated `repeat` times, fed in pieces of whole copies: the
 * million "a" is hashed without a megabyte ever being allocated (making and faulting in that
 * buffer took several times longer than hashing it).
 */
function opensslSha256OfRepeated(text: string, repeat: number): string {
  const copiesPerPiece = Math.max(1, Math.min(repeat, Math.floor(PIECE_BYTES / text.length)));
  const piece = Buffer.from(text.repeat(copiesPerPiece), 'latin1');
  const hash = createHash('sha256');
  let left = repeat;
  for (; left >= copiesPerPiece; left -= copiesPerPiece) hash.update(piece);
  if (left > 0) hash.update(piece.subarray(0, left * text.length));
  return hash.digest('hex');
}

/**
 * SHA-256 (FIPS 180): both implementations, shared's (bundle digests, check codes, the log chain)
 * and OpenSSL's; the million-byte vector through OpenSSL's only (`nodeCryptoOnly`).
 */
export function katSha256(vectors: readonly Sha256Vector[] = SHA256_VECTORS): KatResult {
  return runChecks(
    'SHA-256 (FIPS 180)',
    vectors.flatMap((v) => {
      const shared = [
        `${v.name}, shared`,
        () =>
          Buffer.from(sha256(Buffer.from(v.text.repeat(v.repeat), 'latin1'))).toString('hex') ===
          v.digest,
      ] as const;
      return [
        ...(v.nodeCryptoOnly === true ? [] : [shared]),
        [`${v.name}, node:crypto`, () => opensslSha256OfRepeated(v.text, v.repeat) === v.digest],
      ] as const;
    }),
  );
}
