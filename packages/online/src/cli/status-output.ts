import type { ExpiryFinding } from '../ops/expiry-report.js';
import type { KeyStatus } from '../ops/key-status.js';
import type { RecordedKcvs } from './status-record.js';

/** How status shows keys and expiry findings, as JSON fields and as text. */
export function iso(date: Date | undefined): string | null {
  return date === undefined ? null : date.toISOString();
}

/** With --record: the KCVs on record for the key's current material, and for each material listed. */
export function reportOf(status: KeyStatus, recorded?: RecordedKcvs) {
  const d = status.description;
  const onRecord = (id: string | null) =>
    recorded === undefined ? {} : { kcvOnRecord: recorded(d.arn, id) };
  return {
    keyId: d.keyId,
    keyArn: d.arn,
    keyState: d.keyState,
    origin: d.origin,
    keySpec: d.keySpec,
    keyUsage: d.keyUsage,
    expirationModel: d.expirationModel ?? null,
    validTo: iso(d.validTo),
    currentKeyMaterialId: d.currentKeyMaterialId ?? null,
    ...onRecord(d.currentKeyMaterialId ?? null),
    multiRegion: d.multiRegion,
    multiRegionKeyType: d.multiRegionKeyType ?? null,
    primaryKeyArn: d.primaryKeyArn ?? null,
    replicaKeyArns: d.replicaKeyArns,
    keyMaterials:
      status.keyMaterials?.map((m) => ({
        keyMaterialId: m.keyMaterialId ?? null,
        keyMaterialState: m.keyMaterialState ?? null,
        importState: m.importState ?? null,
        expirationModel: m.expirationModel ?? null,
        validTo: iso(m.validTo),
        rotationDate: iso(m.rotationDate),
        description: m.description ?? null,
        ...onRecord(m.keyMaterialId ?? null),
      })) ?? null,
  };
}

/** The KCVs on record as the status text shows them: one, none, or several the record does not tell apart. */
function kcvText(kcvs: readonly string[]): string {
  if (kcvs.length === 0) return 'none on record';
  if (kcvs.length === 1) return kcvs[0]!;
  return `${kcvs.join(', ')} (the record gives several for this material)`;
}

export function textOf(report: ReturnType<typeof reportOf>): string[] {
  const lines = [
    report.keyArn,
    `  state              ${report.keyState}`,
    `  origin             ${report.origin}`,
    `  key spec / usage   ${report.keySpec} / ${report.keyUsage}`,
    `  expiration         ${report.expirationModel ?? '-'}${report.validTo === null ? '' : ` (valid to ${report.validTo})`}`,
    `  current material   ${report.currentKeyMaterialId ?? '-'}`,
    ...(report.kcvOnRecord === undefined
      ? []
      : [`  KCV on record      ${kcvText(report.kcvOnRecord)}`]),
  ];
  if (report.multiRegion) {
    lines.push(
      `  multi-Region       ${report.multiRegionKeyType ?? ''} (primary ${report.primaryKeyArn ?? '-'})`,
    );
    for (const replica of report.replicaKeyArns) lines.push(`    replica          ${replica}`);
  }
  if (report.keyMaterials === null) {
    lines.push('  key materials      (listed for symmetric EXTERNAL keys only)');
  } else {
    lines.push(`  key materials      ${report.keyMaterials.length}`);
    for (const m of report.keyMaterials) {
      lines.push(
        `    ${m.keyMaterialId ?? '-'} ${m.keyMaterialState ?? '-'} ${m.importState ?? '-'}${m.validTo === null ? '' : ` valid to ${m.validTo}`}${m.kcvOnRecord === undefined ? '' : ` KCV ${kcvText(m.kcvOnRecord)}`}`,
      );
      // KMS allows tabs and line breaks in a description: one line here, so no line is forged.
      if (m.description !== null)
        lines.push(`      description ${m.description.replace(/\s+/gu, ' ')}`);
    }
  }
  return lines;
}

export function findingText(f: ExpiryFinding): string {
  const material = f.keyMaterialId === null ? '' : ` material ${f.keyMaterialId}`;
  switch (f.kind) {
    case 'missing':
      return `${f.keyArn}${material} has expired or was deleted: it awaits re-import (prepare --reimport)`;
    case 'expires':
      return `${f.keyArn}${material} expires ${iso(f.validTo) ?? ''} (in ${f.daysLeft ?? 0} day(s)): re-import it before then`;
    case 'awaits-import':
      return f.mayHaveHeldMaterial === true
        ? `${f.keyArn} awaits import (never imported, or its material was deleted or expired; KMS does not say which for this key spec): it cannot be used until material is imported`
        : `${f.keyArn} awaits its first import: it holds no material and cannot be used`;
    case 'pending-deletion':
      return `${f.keyArn} is ${f.keyState ?? 'PendingDeletion'}: KMS deletes the key at the end of its waiting period (cancel-key-deletion stops it)`;
  }
}
