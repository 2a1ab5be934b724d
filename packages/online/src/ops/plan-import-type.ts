import type { ImportType } from '@byok-ceremony/shared';
import type { KeyDescription, KeyMaterialEntry } from '../kms/kms-port.js';
import { isPendingRotation } from './pending-rotation.js';

/** What prepare asks for: a first import or re-import as the key needs, new material, or a re-import. */
export type PrepareMode = 'auto' | 'new-material' | 'reimport';

/** KMS allows at most this many on-demand rotations per key. */
const ON_DEMAND_ROTATION_QUOTA = 25;

export interface ImportPlan {
  readonly importType: ImportType;
  readonly keyMaterialId: string | null;
}

/** Whether KMS lists key materials for this key (symmetric encryption keys of origin EXTERNAL). */
export function listsMaterials(d: KeyDescription): boolean {
  return (
    d.keySpec === 'SYMMETRIC_DEFAULT' && d.origin === 'EXTERNAL' && d.keyState !== 'PendingDeletion'
  );
}

/**
 * Whether DescribeKey alone shows that a symmetric key has never held material, so that
 * ListKeyRotations could list nothing: it awaits import and names no current material. KMS keeps
 * the id of deleted or expired material as the key's CurrentKeyMaterialId (ListKeyRotations
 * lists it CURRENT, PENDING_IMPORT), so a key that lost its material still names one. A replica
 * is listed all the same (it is told its primary's materials), and so is a key this machine's
 * log shows holding imported material, whatever KMS says of it.
 */
export function neverHeldMaterial(d: KeyDescription, importedOnRecord: boolean): boolean {
  return (
    d.keyState === 'PendingImport' &&
    d.currentKeyMaterialId === undefined &&
    d.multiRegionKeyType !== 'REPLICA' &&
    !importedOnRecord
  );
}

/** The one material a re-import restores: the one named, else the one awaiting import, else the current one. */
function materialToReimport(
  d: KeyDescription,
  materials: readonly KeyMaterialEntry[],
  named: string | undefined,
): string | { readonly problem: string } {
  const ids = materials.map((m) => m.keyMaterialId).filter((id) => id !== undefined);
  if (named !== undefined)
    return ids.includes(named)
      ? named
      : { problem: `has no key material ${named} (it has ${ids.join(', ') || 'none'})` };
  const pending = materials.filter((m) => m.importState === 'PENDING_IMPORT');
  if (pending.length > 1)
    return {
      problem: `has ${pending.length} materials awaiting import (${pending.map((m) => m.keyMaterialId).join(', ')}): name one with --key-material-id`,
    };
  const chosen =
    pending[0]?.keyMaterialId ??
    materials.find((m) => m.keyMaterialState === 'CURRENT')?.keyMaterialId ??
    d.currentKeyMaterialId;
  return chosen ?? { problem: 'has no key material to re-import: KMS lists none' };
}

/**
 * The import type (and KeyMaterialId) a key takes in this prepare mode, or why KMS would refuse
 * it: refused here, before any GetParametersForImport.
 */
export function planImportType(
  d: KeyDescription,
  materials: readonly KeyMaterialEntry[] | null,
  mode: PrepareMode,
  namedMaterialId: string | undefined,
  importedOnRecord: boolean,
): ImportPlan | { readonly problem: string } {
  const symmetric = d.keySpec === 'SYMMETRIC_DEFAULT';
  const replica = d.multiRegionKeyType === 'REPLICA';
  if (mode === 'new-material') {
    if (!symmetric)
      return {
        problem: `is ${d.keySpec}: only symmetric encryption keys take new material; HMAC and asymmetric keys keep their first material for life`,
      };
    if (replica)
      return {
        problem: `is a multi-Region replica: rotate its primary ${d.primaryKeyArn ?? ''} with --with-replicas`,
      };
    const list = materials ?? [];
    if (list.length === 0)
      return { problem: 'holds no material yet: its first import needs no --new-material' };
    if (d.keyState === 'PendingImport')
      return {
        problem:
          'is PendingImport: a material of it awaits re-import (prepare --reimport) before it can rotate',
      };
    const pending = list.find((m) => isPendingRotation(m));
    if (pending !== undefined)
      return {
        problem: `already has material ${pending.keyMaterialId ?? ''} pending rotation: rotate it (byok-online rotate) or import it first`,
      };
    const onDemand = list.filter((m) => m.rotationType === 'ON_DEMAND').length;
    if (onDemand >= ON_DEMAND_ROTATION_QUOTA)
      return {
        problem: `has had ${onDemand} on-demand rotations, KMS's limit per key (${ON_DEMAND_ROTATION_QUOTA})`,
      };
    return { importType: 'NEW_KEY_MATERIAL', keyMaterialId: null };
  }
  // KMS lists no materials of HMAC and asymmetric keys: a PendingImport one may have lost its
  // material (deleted or expired), which only this machine's log of an earlier import can tell.
  const firstImport = symmetric
    ? (materials ?? []).length === 0
    : d.keyState === 'PendingImport' && d.currentKeyMaterialId === undefined && !importedOnRecord;
  if (mode === 'auto' && firstImport)
    return {
      importType: replica ? 'EXISTING_KEY_MATERIAL' : 'NEW_KEY_MATERIAL',
      keyMaterialId: null,
    };
  if (!symmetric)
    // KMS names no key materials of HMAC and asymmetric keys; the proof after import shows identity.
    return { importType: 'EXISTING_KEY_MATERIAL', keyMaterialId: d.currentKeyMaterialId ?? null };
  if (firstImport && !replica)
    return { problem: 'holds no material yet: a first import is a plain prepare, not --reimport' };
  if (firstImport) return { importType: 'EXISTING_KEY_MATERIAL', keyMaterialId: null };
  const chosen = materialToReimport(d, materials ?? [], namedMaterialId);
  if (typeof chosen !== 'string') return chosen;
  return { importType: 'EXISTING_KEY_MATERIAL', keyMaterialId: chosen };
}
