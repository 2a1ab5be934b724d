import type { LoggedEntry } from '../verify-chain.js';
import { checkImportsAnswerWraps } from './import-interlock.js';
import { okEntries, okWraps } from './logged-entries.js';
import { checkPeerLogHeadsExist } from './peer-log-heads.js';
import { isRawEntry } from './raw-entries.js';
import { checkRawInterlock } from './raw-interlock.js';
import type { Report } from './report.js';
import type { CeremonyRun } from './transcript-types.js';
import { checkWrapsAnswerPrepares } from './wrap-interlock.js';

/** Links the two logs through the bundle digests and the log heads each bundle carried. */
export function checkInterlock(
  offline: readonly LoggedEntry[],
  online: readonly LoggedEntry[],
  report: Report,
): CeremonyRun[] {
  checkPeerLogHeadsExist(offline, online, report);
  const prepares = okEntries(online, 'prepare');
  // Raw mode's entries link by their raw files' digests (raw-interlock.ts).
  const wraps = okWraps(offline).filter((w) => !isRawEntry(w.entry));
  const imports = okEntries(online, 'import').filter((i) => !isRawEntry(i.entry));
  const runs = checkRawInterlock(offline, online, report);
  checkWrapsAnswerPrepares(wraps, prepares, online, report);
  runs.push(...checkImportsAnswerWraps(imports, wraps, prepares, offline, report));
  return runs;
}
