import { invalidState } from '../errors.js';
import { keyStateOf } from '../state/store.js';
import type { Handler } from './context.js';

export const enableKey: Handler<'EnableKey'> = (state, input, context) => {
  const key = state.resolveKey(input.KeyId, context, { aliases: false });
  const keyState = keyStateOf(key);
  if (keyState === 'PendingDeletion' || keyState === 'PendingImport') {
    throw invalidState(
      `${key.arn} is ${keyState === 'PendingImport' ? 'pending import' : 'pending deletion'}.`,
    );
  }
  key.enabled = true;
  return {};
};
