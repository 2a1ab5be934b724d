import type { KeyMaterialEntry } from '../kms/kms-port.js';

/** The KeyMaterialState of new material that waits for RotateKeyOnDemand (ListKeyRotations). */
const PENDING_ROTATION_STATES = ['PENDING_ROTATION', 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION'];

/** Whether a key material is new material waiting for RotateKeyOnDemand, imported or not. */
export function isPendingRotation(m: Pick<KeyMaterialEntry, 'keyMaterialState'>): boolean {
  return PENDING_ROTATION_STATES.includes(m.keyMaterialState ?? '');
}
