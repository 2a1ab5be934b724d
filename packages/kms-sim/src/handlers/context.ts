import type { WrappingKeyPool } from '../crypto/wrapping-key-pool.js';
import type { SimClock } from '../state/clock.js';
import type { SimState } from '../state/store.js';

/** What a handler may use besides the state: identity, the moved clock, the key pool. */
export interface HandlerContext {
  region: string;
  account: string;
  clock: SimClock;
  pool: WrappingKeyPool;
}

export type HandlerOutput = Record<string, unknown>;

/** One KMS operation, transport-free: a validated input in, an output shape out. */
export type Handler = (
  state: SimState,
  input: Record<string, unknown>,
  context: HandlerContext,
) => HandlerOutput | Promise<HandlerOutput>;
