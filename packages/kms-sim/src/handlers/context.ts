import type { WrappingKeyPool } from '../crypto/wrapping-key-pool.js';
import type { SimClock } from '../state/clock.js';
import type { ImplementedOperation, OperationTypes } from '../model/kms-types.js';
import type { SimState } from '../state/store.js';

/** What a handler may use besides the state: identity, the moved clock, the key pool. */
export interface HandlerContext {
  region: string;
  account: string;
  clock: SimClock;
  pool: WrappingKeyPool;
}

export type HandlerOutput = Record<string, unknown>;

/**
 * One KMS operation, transport-free: an input validated against the model, typed by the types
 * generated from the same model, in; an output shape out.
 */
export type Handler<Op extends ImplementedOperation> = (
  state: SimState,
  input: OperationTypes[Op]['input'],
  context: HandlerContext,
) => OperationTypes[Op]['output'] | Promise<OperationTypes[Op]['output']>;
