import {
  ByokError,
  formatAuditFinding,
  listedProblems,
  verifyAuditChain,
  type AuditEntry,
} from '@byok-ceremony/shared';

const NO_SINGLE_ANSWER_HINT =
  'Give --expect-kcv KEY_ARN=KCV with the KCV on the paper record of the original ceremony, or as --original-record the online log of the original import (its import entries name the KeyMaterialId).';

/** The KCVs the record's successful wrap and import entries give a key's material. */
function kcvsOf(
  entries: readonly AuditEntry[],
  keyArn: string,
  keyMaterialId: string | null,
): Set<string> {
  const byId = new Set<string>();
  const unnamed = new Set<string>();
  for (const entry of entries) {
    // A refused import or wrap proves nothing about the material KMS holds.
    if (entry.outcome !== 'ok' || (entry.command !== 'import' && entry.command !== 'wrap'))
      continue;
    for (const key of entry.keys) {
      if (key.keyArn !== keyArn || key.kcv === undefined) continue;
      if (key.keyMaterialId === undefined) unnamed.add(key.kcv);
      else if (keyMaterialId === null || key.keyMaterialId === keyMaterialId) byId.add(key.kcv);
    }
  }
  if (keyMaterialId === null) return new Set([...byId, ...unnamed]);
  return byId.size > 0 ? byId : unnamed;
}

/**
 * The entries of an audit log whose hash chain verifies; it is not anchored here (no head from
 * the paper record), so the chain only rules out a file that is no tool's log or was edited.
 */
export function entriesOnRecord(
  text: string,
  shown: string,
  what: 'original record' | 'record' = 'original record',
): AuditEntry[] {
  const chain = verifyAuditChain(shown, text);
  const errors = chain.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const listed = listedProblems(errors.map(formatAuditFinding));
    throw new ByokError(
      'ERR_AUDIT_VERIFY',
      `the ${what} ${shown} is not an intact audit log (${errors.length} problem(s)):\n${listed.map((l) => `  ${l}`).join('\n')}`,
      {
        hint:
          what === 'record'
            ? `Give the ceremony's audit log as byok-online or byok-offline wrote it (byok-online audit verify ${shown} shows what is wrong).`
            : `Give the original ceremony's audit log as byok-online or byok-offline wrote it (byok-online audit verify ${shown} shows what is wrong), or --expect-kcv KEY_ARN=KCV from the paper record.`,
        details: listed,
      },
    );
  }
  return chain.entries.map((l) => l.entry);
}

/**
 * Every KCV the entries (of one log or of both) record for a key: for the KeyMaterialId where
 * an import names it, else the ones no KeyMaterialId names (a wrap's), sorted.
 */
export function kcvsOnRecord(
  entries: readonly AuditEntry[],
  keyArn: string,
  keyMaterialId: string | null,
): string[] {
  return [...kcvsOf(entries, keyArn, keyMaterialId)].sort();
}

/**
 * The KCV the last successful import of a key recorded, for a key whose DescribeKey names no
 * current material (asymmetric and HMAC keys): what KMS holds unless something changed since.
 */
export function lastImportedKcv(
  entries: readonly AuditEntry[],
  keyArn: string,
): string | undefined {
  let kcv: string | undefined;
  for (const entry of entries)
    if (entry.outcome === 'ok' && entry.command === 'import')
      for (const key of entry.keys)
        if (key.keyArn === keyArn && key.kcv !== undefined) kcv = key.kcv;
  return kcv;
}

/**
 * The KCV an original ceremony's audit log recorded for a key: its successful import entries'
 * for the KeyMaterialId where one is known, else the one KCV its successful wrap and import
 * entries agree on (see kcvsOnRecord). No single answer for a key is refused: a pin silently
 * dropped is no check at all.
 */
export function kcvOnRecord(
  text: string,
  shown: string,
): (keyArn: string, keyMaterialId: string | null) => string {
  const entries = entriesOnRecord(text, shown);
  return (keyArn, keyMaterialId) => {
    const kcvs = kcvsOnRecord(entries, keyArn, keyMaterialId);
    const material = keyMaterialId === null ? '' : ` material ${keyMaterialId}`;
    if (kcvs.length === 1) return kcvs[0]!;
    if (kcvs.length === 0)
      throw new ByokError(
        'ERR_AUDIT_LOG',
        `the original record ${shown} holds no successful wrap or import of ${keyArn}${material} with a KCV`,
        { hint: NO_SINGLE_ANSWER_HINT },
      );
    throw new ByokError(
      'ERR_AUDIT_LOG',
      `the original record ${shown} holds ${kcvs.length} KCVs for ${keyArn}${material} (${kcvs.join(', ')}): no single answer (an offline log names no KeyMaterialId, so a rotation since gives two)`,
      { hint: NO_SINGLE_ANSWER_HINT },
    );
  };
}
