import type { Handler } from './context.js';
import { keyForAutomaticRotation } from './lib/rotation-key.js';

export const disableKeyRotation: Handler<'DisableKeyRotation'> = (state, input, context) => {
  const key = keyForAutomaticRotation(state, input.KeyId, context);
  delete key.automaticRotation;
  return {};
};
