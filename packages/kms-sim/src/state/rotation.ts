import { randomBytes } from 'node:crypto';
import { keyMaterialIdOf } from '../crypto/key-material-id.js';
import type { KeyRecord, MaterialRecord } from './types.js';

export const SECONDS_PER_DAY = 24 * 3600;
/** EnableKeyRotation's default period (the service model's documentation). */
export const DEFAULT_ROTATION_PERIOD_DAYS = 365;
/** RotateKeyOnDemand answers ConflictException this close to an automatic rotation (the model's ConflictException). */
export const ROTATION_CONFLICT_WINDOW_SECONDS = 20 * 60;

/** When KMS rotates the key next on its own, in epoch seconds; undefined while rotation is off. */
export function nextRotationDate(key: KeyRecord): number | undefined {
  const rotation = key.automaticRotation;
  return rotation === undefined
    ? undefined
    : rotation.since + rotation.periodInDays * SECONDS_PER_DAY;
}

/** Makes `next` the CURRENT material and every other one NON_CURRENT, as of `when`. */
export function promote(
  key: KeyRecord,
  next: MaterialRecord,
  when: number,
  type: 'AUTOMATIC' | 'ON_DEMAND',
): void {
  for (const material of key.materials)
    if (material.state === 'CURRENT') material.state = 'NON_CURRENT';
  next.state = 'CURRENT';
  next.rotationDate = when;
  next.rotationType = type;
}

/**
 * Gives a key of origin AWS_KMS new material made here, CURRENT from `when`, and the same
 * material to each of its replicas (a multi-Region key rotates from its primary).
 * Returns the ARNs of the keys it changed.
 */
export function rotateInNewMaterial(
  keys: ReadonlyMap<string, KeyRecord>,
  materialIdKey: Buffer,
  key: KeyRecord,
  when: number,
  type: 'AUTOMATIC' | 'ON_DEMAND',
): string[] {
  const material = randomBytes(32);
  const id = keyMaterialIdOf(materialIdKey, key.keyId, material);
  const record: MaterialRecord = { id, state: 'PENDING_ROTATION', material };
  key.materials.push(record);
  promote(key, record, when, type);
  const changed = [key.arn];
  for (const arn of key.replicaArns) {
    const replica = keys.get(arn);
    if (replica === undefined) continue;
    const copy: MaterialRecord = { id, state: 'PENDING_ROTATION', material: Buffer.from(material) };
    replica.materials.push(copy);
    promote(replica, copy, when, type);
    changed.push(arn);
  }
  return changed;
}

/**
 * Performs every automatic rotation that fell due by `now` (the clock may have jumped past
 * several), each dated when it was due. The caller checks that the key may rotate (Enabled).
 * Returns the ARNs of the keys it changed.
 */
export function rotateWhenDue(
  keys: ReadonlyMap<string, KeyRecord>,
  materialIdKey: Buffer,
  key: KeyRecord,
  now: number,
): string[] {
  const changed = new Set<string>();
  for (
    let due = nextRotationDate(key);
    due !== undefined && due <= now;
    due = nextRotationDate(key)
  ) {
    for (const arn of rotateInNewMaterial(keys, materialIdKey, key, due, 'AUTOMATIC'))
      changed.add(arn);
    key.automaticRotation!.since = due;
  }
  return [...changed];
}

/**
 * A key enabled again after its rotation date passed rotates at once and counts its period
 * from then; otherwise it keeps its schedule (GetKeyRotationStatus's documentation).
 */
export function resumeAfterEnable(
  keys: ReadonlyMap<string, KeyRecord>,
  materialIdKey: Buffer,
  key: KeyRecord,
  now: number,
): string[] {
  const due = nextRotationDate(key);
  if (due === undefined || due > now) return [];
  const changed = rotateInNewMaterial(keys, materialIdKey, key, now, 'AUTOMATIC');
  key.automaticRotation!.since = now;
  return changed;
}
