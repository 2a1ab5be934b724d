import type { LoggedAuditEntry } from '@byok-ceremony/node-io';

/**
 * The KCV an original ceremony's audit log recorded for a key: an import entry's, matched by
 * KeyMaterialId where one is known, else the one KCV every wrap and import entry agrees on.
 */
export function kcvOnRecord(
  log: readonly LoggedAuditEntry[],
): (keyArn: string, keyMaterialId: string | null) => string | undefined {
  return (keyArn, keyMaterialId) => {
    const kcvs = new Set<string>();
    for (const { entry } of log) {
      if (entry.command !== 'import' && entry.command !== 'wrap') continue;
      for (const key of entry.keys) {
        if (key.keyArn !== keyArn || key.kcv === undefined) continue;
        if (keyMaterialId !== null && key.keyMaterialId === keyMaterialId) return key.kcv;
        kcvs.add(key.kcv);
      }
    }
    // Several KCVs (a rotation since) without a matching KeyMaterialId: no single answer.
    return kcvs.size === 1 ? [...kcvs][0] : undefined;
  };
}
