const MASK64 = (1n << 64n) - 1n;

const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & MASK64;

/**
 * xoshiro256** (Blackman and Vigna), the generator of Blockchain Commons' fountain codes: the
 * encoder and every reader derive the same choices from the same 32-byte seed, on any platform.
 */
export class Xoshiro256 {
  readonly #s: bigint[];

  /** The state is the seed's four big-endian 64-bit words (a SHA-256 digest, never all zero). */
  constructor(seed: Uint8Array) {
    if (seed.length !== 32) throw new RangeError('xoshiro256** takes a 32-byte seed');
    const view = new DataView(seed.buffer, seed.byteOffset, seed.byteLength);
    this.#s = [0, 8, 16, 24].map((at) => view.getBigUint64(at));
  }

  next(): bigint {
    const s = this.#s as [bigint, bigint, bigint, bigint];
    const result = (rotl((s[1] * 5n) & MASK64, 7n) * 9n) & MASK64;
    const t = (s[1] << 17n) & MASK64;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45n);
    return result;
  }

  /** In [0, 1): the top 53 bits, so that rounding can never give 1. */
  nextDouble(): number {
    return Number(this.next() >> 11n) / 2 ** 53;
  }

  /** An integer in [low, high]. */
  nextInt(low: number, high: number): number {
    return Math.floor(this.nextDouble() * (high - low + 1)) + low;
  }
}
