import type { ImportTarget } from '@byok-ceremony/shared';
import type { KeyMaterialEntry } from '../kms/kms-port.js';
import type { HeldAtPrepare } from './held-at-prepare.js';
import { isPendingRotation } from './pending-rotation.js';

/**
 * Why KMS does not bear out a claim (a journal's, or an unanswered import judged after the fact)
 * that a symmetric key took this request's material as `keyMaterialId`, or undefined when it does.
 * A re-import must have imported the material the request names. New material (a rotation, or
 * a replica taking its primary's new material) must be imported, pending rotation or current,
 * and none of the materials the key had when the request was prepared: prepare refuses a key
 * with material pending rotation, so a pending one came after it, and a current one is new only
 * if the key did not have it then. Being imported alone proves nothing: the old material is too.
 */
export function claimedMaterialProblem(
  materials: readonly KeyMaterialEntry[],
  target: Pick<ImportTarget, 'keyArn' | 'importType' | 'keyMaterialId'>,
  keyMaterialId: string,
  heldAtPrepare: HeldAtPrepare,
): string | undefined {
  const material = materials.find((m) => m.keyMaterialId === keyMaterialId);
  if (material?.importState !== 'IMPORTED') return 'KMS does not hold it';
  if (typeof target.keyMaterialId === 'string')
    return target.keyMaterialId === keyMaterialId
      ? undefined
      : `the request re-imports material ${target.keyMaterialId}, not that one`;
  // Version 1 requests name no import type: they were first imports and re-imports only.
  if (target.importType === undefined) return undefined;
  if (isPendingRotation(material)) return undefined;
  if (material.keyMaterialState !== 'CURRENT')
    return `KMS lists it as ${material.keyMaterialState ?? 'in no state'}, neither pending rotation nor current: it is not the new material`;
  if (heldAtPrepare === undefined)
    return "this machine's audit log holds no prepare of the request, so nothing shows that the key did not already have that material";
  if (heldAtPrepare.get(target.keyArn)?.has(keyMaterialId) === true)
    return 'the key already had that material when the request was prepared: nothing new was imported';
  return undefined;
}
