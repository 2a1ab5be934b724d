import { sha256 } from '../digest/sha256.js';
import { chooseDegree } from './degree-sampler.js';
import { Xoshiro256 } from './xoshiro256.js';

/**
 * The chunk indexes (0-based, ascending) that frame `seqNum` of a transfer carries. Frames 1 …
 * count are the pure ones (frame s is chunk s − 1); a later frame mixes chunks chosen by
 * xoshiro256** seeded with SHA-256(seqNum as 4 bytes big-endian ‖ transfer id): a degree, then
 * that many indexes from a shuffle, as in BCR-2020-005. Writer and reader compute the same set.
 */
export function chooseFragments(seqNum: number, count: number, transferId: Uint8Array): number[] {
  if (seqNum <= count) return [seqNum - 1];
  const seed = new Uint8Array(4 + transferId.length);
  new DataView(seed.buffer).setUint32(0, seqNum);
  seed.set(transferId, 4);
  const rng = new Xoshiro256(sha256(seed));
  const degree = chooseDegree(count, rng);
  const remaining = Array.from({ length: count }, (_, i) => i);
  const chosen: number[] = [];
  // The first `degree` picks of a Fisher–Yates shuffle; the rest of the shuffle is never used.
  for (let k = 0; k < degree; k++)
    chosen.push(remaining.splice(rng.nextInt(0, remaining.length - 1), 1)[0]!);
  return chosen.sort((a, b) => a - b);
}
