import { invalidState } from '../errors.js';
import { keyStateOf } from '../state/store.js';
import type { Handler } from './context.js';

export const enableKey: Handler = (state, raw, context) => {
  const key = state.resolveKey(raw.KeyId as string, context, { aliases: false });
  const keyState = keyStateOf(key);
  if (keyState === 'PendingDeletion' || keyState === 'PendingImport') {
    throw invalidState(
      `${key.arn} is ${keyState === 'PendingImport' ? 'pending import' : 'pending deletion'}.`,
    );
  }
  key.enabled = true;
  return {};
};
