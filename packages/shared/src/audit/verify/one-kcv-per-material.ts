import type { LoggedEntry } from '../verify-chain.js';
import { where, type Report } from './report.js';

/**
 * One material has one KCV: a KeyMaterialId recorded with two KCVs, in any entry of either log,
 * means one record is false (new material put on record under the old material's id, say).
 * prepare is left out: the KCV it records is what a re-import expects, and wrap refuses material
 * that does not have it.
 */
export function checkOneKcvPerMaterial(entries: readonly LoggedEntry[], report: Report): void {
  const seen = new Map<string, { kcv: string; at: LoggedEntry }>();
  for (const e of entries) {
    if (e.entry.command === 'prepare') continue;
    for (const key of e.entry.keys) {
      if (key.keyMaterialId === undefined || key.kcv === undefined) continue;
      const first = seen.get(key.keyMaterialId);
      if (first === undefined) seen.set(key.keyMaterialId, { kcv: key.kcv, at: e });
      else if (first.kcv !== key.kcv)
        report(
          'error',
          'kcv-conflict',
          e,
          `${where(e)} records KeyMaterialId ${key.keyMaterialId} of ${key.keyArn} with KCV ${key.kcv}, but ${first.at.file}:${first.at.line} records it with KCV ${first.kcv}: one material has one KCV, so one of the records is false`,
        );
    }
  }
}
