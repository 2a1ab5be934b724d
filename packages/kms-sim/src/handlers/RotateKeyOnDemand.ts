import { KmsError, unsupported } from '../errors.js';
import {
  nextRotationDate,
  promote,
  rotateInNewMaterial,
  ROTATION_CONFLICT_WINDOW_SECONDS,
} from '../state/rotation.js';
import { requireUsable } from '../state/store.js';
import type { KeyRecord } from '../state/types.js';
import type { Handler } from './context.js';

/** RotateKeyOnDemand's documented maximum per KMS key. */
const ON_DEMAND_ROTATION_LIMIT = 25;

/** Refuses an on-demand rotation while an automatic one is due within 20 minutes (or under way). */
function refuseNearAutomaticRotation(key: KeyRecord, now: number): void {
  const due = nextRotationDate(key);
  if (due === undefined || due - now > ROTATION_CONFLICT_WINDOW_SECONDS) return;
  // No recorded answer was found; the message is the model's documentation of ConflictException.
  throw new KmsError(
    'ConflictException',
    'The request was rejected because an automatic rotation of this key is currently in progress or scheduled to begin within the next 20 minutes.',
  );
}

export const rotateKeyOnDemand: Handler<'RotateKeyOnDemand'> = (state, input, context) => {
  const key = state.resolveKey(input.KeyId, context, { aliases: false });
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw unsupported(
      `${key.arn} is not a symmetric encryption key; only those support on-demand rotation.`,
    );
  }
  if (key.multiRegionKeyType === 'REPLICA')
    throw unsupported(`${key.arn} is a replica key; rotate its primary key.`);
  requireUsable(key);
  const now = context.clock.nowSeconds();
  refuseNearAutomaticRotation(key, now);
  const onDemand = key.materials.filter((m) => m.rotationType === 'ON_DEMAND').length;
  if (onDemand >= ON_DEMAND_ROTATION_LIMIT) {
    // The limit is documented (25 per key); the wording is LocalStack's, whose snapshot test of it is validated against AWS.
    throw new KmsError(
      'LimitExceededException',
      `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.arn}`,
    );
  }
  if (key.origin === 'AWS_KMS') {
    rotateInNewMaterial(state.keys, state.secrets.materialIdKey, key, now, 'ON_DEMAND');
    return { KeyId: key.arn };
  }
  const pending = key.materials.find(
    (m) => m.state === 'PENDING_ROTATION' || m.state === 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION',
  );
  if (pending?.material === undefined) {
    // AWS's words (LocalStack's snapshot, recorded against AWS).
    throw new KmsError(
      'KMSInvalidStateException',
      `No available key material pending rotation for the key: ${key.arn}.`,
    );
  }
  const replicas = key.replicaArns.map((arn) => state.keys.get(arn)).filter((r) => r !== undefined);
  for (const replica of replicas) {
    if (replica.materials.find((m) => m.id === pending.id)?.material === undefined) {
      throw new KmsError(
        'KMSInvalidStateException',
        `The new key material must be imported into replica ${replica.arn} before rotation.`,
      );
    }
  }
  promote(key, pending, now, 'ON_DEMAND');
  for (const replica of replicas)
    promote(
      replica,
      replica.materials.find((m) => m.id === pending.id)!,
      now,
      'ON_DEMAND',
    );
  return { KeyId: key.arn };
};
