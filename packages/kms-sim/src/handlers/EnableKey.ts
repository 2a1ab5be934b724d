import { invalidState } from '../errors.js';
import { resumeAfterEnable } from '../state/rotation.js';
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
  const wasDisabled = !key.enabled;
  key.enabled = true;
  if (wasDisabled)
    resumeAfterEnable(state.keys, state.secrets.materialIdKey, key, context.clock.nowSeconds());
  return {};
};
