import type { KeyStatus } from './key-status.js';

const DAY_MS = 86_400_000;

export interface ExpiryFinding {
  readonly keyArn: string;
  readonly keyMaterialId: string | null;
  /** expires: valid until `validTo`, within the window; missing: expired or deleted, awaiting re-import. */
  readonly kind: 'expires' | 'missing';
  readonly validTo: Date | undefined;
  readonly daysLeft: number | undefined;
}

/**
 * Every material (symmetric keys: each listed material; other keys: the key's own ValidTo) that
 * expires within `days` of `now`, or has already expired or been deleted and awaits re-import.
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
    if (keyMaterials === null) {
      check(
        d.arn,
        d.currentKeyMaterialId ?? null,
        d.validTo,
        d.keyState === 'PendingImport' && d.currentKeyMaterialId !== undefined,
      );
      continue;
    }
    for (const m of keyMaterials)
      check(d.arn, m.keyMaterialId ?? null, m.validTo, m.importState === 'PENDING_IMPORT');
  }
  return findings;
}
