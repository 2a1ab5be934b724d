import { nextRotationDate } from '../state/rotation.js';
import type { Handler } from './context.js';
import { originNotValid } from '../errors.js';

export const getKeyRotationStatus: Handler<'GetKeyRotationStatus'> = (state, input, context) => {
  const key = state.resolveKey(input.KeyId, context, { aliases: false });
  if (key.origin === 'EXTERNAL') throw originNotValid(key);
  // Replicas follow their primary's setting.
  const holder =
    key.multiRegionKeyType === 'REPLICA' ? (state.keys.get(key.primaryArn!) ?? key) : key;
  const rotation = holder.automaticRotation;
  // Asymmetric and HMAC keys answer false (as AWS does); a key pending deletion too (the model's documentation).
  if (
    rotation === undefined ||
    key.keySpec !== 'SYMMETRIC_DEFAULT' ||
    key.deletionDate !== undefined
  )
    return { KeyId: key.arn, KeyRotationEnabled: false };
  // On-demand rotations complete within their request here, so none is ever in progress (no OnDemandRotationStartDate).
  return {
    KeyId: key.arn,
    KeyRotationEnabled: true,
    RotationPeriodInDays: rotation.periodInDays,
    NextRotationDate: nextRotationDate(holder),
  };
};
