import { randomBytes } from 'node:crypto';
import { keyMaterialIdOf } from '../crypto/key-material-id.js';
import { KmsError, unsupported } from '../errors.js';
import { requireUsable } from '../state/store.js';
import type { KeyRecord, MaterialRecord } from '../state/types.js';
import type { Handler } from './context.js';

/** RotateKeyOnDemand's documented maximum per KMS key. */
const ON_DEMAND_ROTATION_LIMIT = 25;

function promote(key: KeyRecord, next: MaterialRecord, now: number): void {
  for (const material of key.materials)
    if (material.state === 'CURRENT') material.state = 'NON_CURRENT';
  next.state = 'CURRENT';
  next.rotationDate = now;
  next.rotationType = 'ON_DEMAND';
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
  const onDemand = key.materials.filter((m) => m.rotationType === 'ON_DEMAND').length;
  if (onDemand >= ON_DEMAND_ROTATION_LIMIT) {
    // The limit is documented (25 per key); the wording is ours, no public record of AWS's was found.
    throw new KmsError(
      'LimitExceededException',
      `${key.arn} has reached the limit of ${ON_DEMAND_ROTATION_LIMIT} on-demand rotations.`,
    );
  }
  const now = context.clock.nowSeconds();
  if (key.origin === 'AWS_KMS') {
    const material = randomBytes(32);
    const record: MaterialRecord = {
      id: keyMaterialIdOf(state.secrets.materialIdKey, key.keyId, material),
      state: 'PENDING_ROTATION',
      material,
    };
    key.materials.push(record);
    promote(key, record, now);
    for (const arn of key.replicaArns) {
      const replica = state.keys.get(arn);
      if (replica === undefined) continue;
      const copy: MaterialRecord = {
        id: record.id,
        state: 'PENDING_ROTATION',
        material: Buffer.from(material),
      };
      replica.materials.push(copy);
      promote(replica, copy, now);
    }
    return { KeyId: key.arn };
  }
  const pending = key.materials.find(
    (m) => m.state === 'PENDING_ROTATION' || m.state === 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION',
  );
  if (pending?.material === undefined) {
    throw new KmsError(
      'KMSInvalidStateException',
      `${key.arn} has no imported key material pending rotation; import new key material first.`,
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
  promote(key, pending, now);
  for (const replica of replicas)
    promote(
      replica,
      replica.materials.find((m) => m.id === pending.id)!,
      now,
    );
  return { KeyId: key.arn };
};
