import { invalidState } from '../errors.js';
import type { Handler } from './context.js';

export const cancelKeyDeletion: Handler<'CancelKeyDeletion'> = (state, input, context) => {
  const key = state.resolveKey(input.KeyId, context, { aliases: false });
  if (key.deletionDate === undefined) throw invalidState(`${key.arn} is not pending deletion.`);
  delete key.deletionDate;
  delete key.pendingWindowInDays;
  // KMS leaves a key whose deletion was cancelled Disabled.
  key.enabled = false;
  return { KeyId: key.arn };
};
