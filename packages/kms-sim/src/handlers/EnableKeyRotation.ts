import { DEFAULT_ROTATION_PERIOD_DAYS } from '../state/rotation.js';
import type { Handler } from './context.js';
import { keyForAutomaticRotation } from './lib/rotation-key.js';

export const enableKeyRotation: Handler<'EnableKeyRotation'> = (state, input, context) => {
  const key = keyForAutomaticRotation(state, input.KeyId, context);
  const periodInDays = input.RotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_DAYS;
  // A new period on a key already rotating counts from its last rotation (or enable date); else from now.
  const since = key.automaticRotation?.since ?? context.clock.nowSeconds();
  key.automaticRotation = { periodInDays, since };
  return {};
};
