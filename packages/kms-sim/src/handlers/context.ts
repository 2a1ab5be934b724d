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

/**
 * One KMS operation, transport-free: the request validated against the model in, the response
 * out, both typed by the types generated from the same model (src/model/kms-types.ts).
 */
export type Handler<Op extends ImplementedOperation> = (
  state: SimState,
  input: OperationTypes[Op]['input'],
  context: HandlerContext,
) => OperationTypes[Op]['output'] | Promise<OperationTypes[Op]['output']>;
