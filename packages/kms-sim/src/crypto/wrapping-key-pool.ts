import { generateKeyPair, type KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { WrappingKeySpec } from '@byok-ceremony/shared';

export interface WrappingKeyPair {
  publicKeyDer: Buffer;
  privateKeyDer: Buffer;
  /** The private key decoded once, so that no ImportKeyMaterial decodes its PKCS#8 again. */
  privateKey?: KeyObject;
}

const MODULUS_BITS: Record<WrappingKeySpec, number> = {
  RSA_2048: 2048,
  RSA_3072: 3072,
  RSA_4096: 4096,
};

/** The most key pairs kept ready per spec unless told otherwise. */
export const DEFAULT_POOL_SIZE = 16;
const INITIAL_TARGET = 2;

export function generateWrappingKeyPair(spec: WrappingKeySpec): Promise<WrappingKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      { modulusLength: MODULUS_BITS[spec] },
      (error, publicKey, privateKey) => {
        if (error !== null) reject(error);
        else
          resolve({
            publicKeyDer: publicKey.export({ type: 'spki', format: 'der' }),
            privateKeyDer: privateKey.export({ type: 'pkcs8', format: 'der' }),
            privateKey,
          });
      },
    );
  });
}

export interface WrappingKeyPoolOptions {
  /** false: every key pair is generated when asked for, nothing in the background. */
  enabled: boolean;
  /** The most pairs kept ready per spec; the target grows towards it when requests wait. */
  size?: number;
  /** Generations running at once (default: one per core). */
  parallelism?: number;
  /** Pairs served first, each once, before any is generated (tests' fixture keys). */
  seeded?: ReadonlyMap<WrappingKeySpec, readonly WrappingKeyPair[]>;
  /**
   * Serve the seeded pairs again, in turn, once all were served, instead of generating: for
   * benchmarks of more keys than a pool file holds (KMS itself never hands a pair out twice).
   */
  reuseSeeded?: boolean;
  generate?: (spec: WrappingKeySpec) => Promise<WrappingKeyPair>;
}

interface SpecPool {
  ready: WrappingKeyPair[];
  waiting: ((pair: Promise<WrappingKeyPair>) => void)[];
  seeded: WrappingKeyPair[];
  inFlight: number;
  target: number;
}

/**
 * Fresh RSA wrapping key pairs, kept ready per spec so GetParametersForImport answers fast
 * even for RSA_4096. The number kept ready starts small and doubles (up to `size`) whenever a
 * request had to wait, so a batch of a thousand keys gets a pool that keeps up; generation runs
 * one per core, so the machine is used but not oversubscribed.
 */
export class WrappingKeyPool {
  readonly #pools = new Map<WrappingKeySpec, SpecPool>();
  readonly #enabled: boolean;
  readonly #size: number;
  readonly #parallelism: number;
  readonly #generate: (spec: WrappingKeySpec) => Promise<WrappingKeyPair>;
  readonly #reuseSeeded: boolean;
  #running = 0;
  #closed = false;

  constructor(options: WrappingKeyPoolOptions) {
    this.#enabled = options.enabled;
    this.#size = options.size ?? DEFAULT_POOL_SIZE;
    this.#parallelism = Math.max(1, options.parallelism ?? availableParallelism());
    this.#generate = options.generate ?? generateWrappingKeyPair;
    this.#reuseSeeded = options.reuseSeeded ?? false;
    for (const [spec, pairs] of options.seeded ?? []) this.#poolOf(spec).seeded.push(...pairs);
  }

  #poolOf(spec: WrappingKeySpec): SpecPool {
    let pool = this.#pools.get(spec);
    if (pool === undefined) {
      pool = {
        ready: [],
        waiting: [],
        seeded: [],
        inFlight: 0,
        target: Math.min(INITIAL_TARGET, this.#size),
      };
      this.#pools.set(spec, pool);
    }
    return pool;
  }

  /** Starts keeping keys of this spec ready. */
  warm(spec: WrappingKeySpec): void {
    if (!this.#enabled || this.#closed) return;
    this.#poolOf(spec);
    this.#fill();
  }

  /** A key pair no one else gets. */
  take(spec: WrappingKeySpec): Promise<WrappingKeyPair> {
    const pool = this.#poolOf(spec);
    const seeded = pool.seeded.shift();
    if (seeded !== undefined) {
      if (this.#reuseSeeded) pool.seeded.push(seeded);
      return Promise.resolve(copy(seeded));
    }
    if (!this.#enabled || this.#closed) return this.#generate(spec);
    const ready = pool.ready.shift();
    if (ready !== undefined) {
      this.#fill();
      return Promise.resolve(ready);
    }
    // A request waited: keep more ready from now on.
    pool.target = Math.min(this.#size, Math.max(pool.target * 2, 1));
    return new Promise<WrappingKeyPair>((resolve, reject) => {
      pool.waiting.push((pair) => {
        pair.then(resolve, reject);
      });
      this.#fill();
    });
  }

  close(): void {
    this.#closed = true;
    for (const pool of this.#pools.values()) {
      for (const pair of pool.ready) pair.privateKeyDer.fill(0);
      pool.ready.length = 0;
      for (const waiter of pool.waiting.splice(0))
        waiter(Promise.reject(new Error('the simulator is closing')));
    }
  }

  /** Starts generations while cores are free, for waiting requests first, then to refill. */
  #fill(): void {
    while (!this.#closed && this.#running < this.#parallelism) {
      const spec = this.#nextSpec();
      if (spec === undefined) return;
      const pool = this.#poolOf(spec);
      this.#running += 1;
      pool.inFlight += 1;
      this.#generate(spec).then(
        (pair) => {
          this.#done(pool);
          const waiter = pool.waiting.shift();
          if (waiter !== undefined) waiter(Promise.resolve(pair));
          else if (this.#closed) pair.privateKeyDer.fill(0);
          else pool.ready.push(pair);
          this.#fill();
        },
        (error: unknown) => {
          this.#done(pool);
          const waiter = pool.waiting.shift();
          if (waiter !== undefined)
            waiter(Promise.reject(error instanceof Error ? error : new Error(String(error))));
        },
      );
    }
  }

  #done(pool: SpecPool): void {
    this.#running -= 1;
    pool.inFlight -= 1;
  }

  #nextSpec(): WrappingKeySpec | undefined {
    let best: WrappingKeySpec | undefined;
    let bestNeed = 0;
    for (const [spec, pool] of this.#pools) {
      const waitingNeed = pool.waiting.length - pool.inFlight;
      const need =
        waitingNeed > 0 ? 1000 + waitingNeed : pool.target - pool.ready.length - pool.inFlight;
      if (need > bestNeed) {
        best = spec;
        bestNeed = need;
      }
    }
    return best;
  }
}

/**
 * Each server answer gets its own buffers, so zeroing one never reaches the seed; the decoded
 * key, which nothing zeroes or changes, is shared.
 */
function copy(pair: WrappingKeyPair): WrappingKeyPair {
  return {
    publicKeyDer: Buffer.from(pair.publicKeyDer),
    privateKeyDer: Buffer.from(pair.privateKeyDer),
    ...(pair.privateKey === undefined ? {} : { privateKey: pair.privateKey }),
  };
}
