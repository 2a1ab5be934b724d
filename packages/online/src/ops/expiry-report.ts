import type { KeyStatus } from './key-status.js';

const DAY_MS = 86_400_000;

/** Key states in which KMS is about to delete the key: a monitor must hear of them. */
const DELETION_STATES = ['PendingDeletion', 'PendingReplicaDeletion'];

export interface ExpiryFinding {
  readonly keyArn: string;
  readonly keyMaterialId: string | null;
  /**
   * expires: valid until `validTo`, within the window; missing: a listed material expired or
   * deleted, awaiting re-import; awaits-import: a PendingImport key that lists no material (never
   * imported, or for HMAC and asymmetric keys, whose materials KMS does not list, also deleted or
   * expired); pending-deletion: the key itself is scheduled for deletion.
   */
  readonly kind: 'expires' | 'missing' | 'awaits-import' | 'pending-deletion';
  readonly validTo: Date | undefined;
  readonly daysLeft: number | undefined;
  /** For awaits-import: false where KMS lists materials (symmetric keys) and lists none. */
  readonly mayHaveHeldMaterial?: boolean;
  readonly keyState?: string;
}

/**
 * Everything a monitor must hear of: every material (symmetric keys: each listed material; other
 * keys: the key's own ValidTo) that expires within `days` of `now`, or has already expired or
 * been deleted and awaits re-import; keys awaiting import; keys pending deletion.
 */
export function expiryFindings(
  statuses: readonly KeyStatus[],
  now: Date,
  days: number,
): ExpiryFinding[] {
  const limit = now.getTime() + days * DAY_MS;
  const findings: ExpiryFinding[] = [];
  const check = (
    keyArn: string,
    keyMaterialId: string | null,
    validTo: Date | undefined,
    missing: boolean,
  ) => {
    if (missing)
      findings.push({ keyArn, keyMaterialId, kind: 'missing', validTo, daysLeft: undefined });
    else if (validTo !== undefined && validTo.getTime() <= limit)
      findings.push({
        keyArn,
        keyMaterialId,
        kind: 'expires',
        validTo,
        daysLeft: Math.max(0, Math.floor((validTo.getTime() - now.getTime()) / DAY_MS)),
      });
  };
  for (const { description: d, keyMaterials } of statuses) {
    const bare = { keyArn: d.arn, validTo: undefined, daysLeft: undefined } as const;
    if (DELETION_STATES.includes(d.keyState)) {
      findings.push({
        ...bare,
        keyMaterialId: null,
        kind: 'pending-deletion',
        keyState: d.keyState,
      });
      continue;
    }
    if (keyMaterials === null || keyMaterials.length === 0) {
      // KMS lists no material: an HMAC or asymmetric key in PendingImport may have lost its own.
      if (d.origin === 'EXTERNAL' && d.keyState === 'PendingImport') {
        findings.push({
          ...bare,
          keyMaterialId: d.currentKeyMaterialId ?? null,
          kind: 'awaits-import',
          mayHaveHeldMaterial: keyMaterials === null,
        });
        continue;
      }
      if (keyMaterials === null) check(d.arn, d.currentKeyMaterialId ?? null, d.validTo, false);
      continue;
    }
    for (const m of keyMaterials)
      check(d.arn, m.keyMaterialId ?? null, m.validTo, m.importState === 'PENDING_IMPORT');
  }
  return findings;
}
