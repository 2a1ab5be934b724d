import { REQUEST_LABEL } from '../audit-label.js';
import type { LoggedEntry } from '../verify-chain.js';
import { okEntries, okWraps, writerOf } from './logged-entries.js';
import { isRawEntry } from './raw-entries.js';
import { checkRawCompletion } from './raw-completion.js';
import { where, type Report } from './report.js';

const PROOF_KINDS: readonly string[] = ['hmac', 'public-key', 'kcv-only'];

/** Each key the request names was imported by the last import, proven and Enabled. */
function checkImportCompleted(online: readonly LoggedEntry[], last: LoggedEntry, report: Report) {
  const prepare = writerOf(
    okEntries(online, 'prepare'),
    REQUEST_LABEL,
    last.entry.inputs[REQUEST_LABEL],
  );
  const wanted = prepare?.entry.keys.map((k) => k.keyArn) ?? last.entry.keys.map((k) => k.keyArn);
  if (prepare === undefined)
    report(
      'error',
      'incomplete',
      last,
      `${where(last)} answers a request that no prepare in this log wrote`,
    );
  for (const arn of wanted) {
    const key = last.entry.keys.find((k) => k.keyArn === arn);
    if (key === undefined) {
      report(
        'error',
        'incomplete',
        last,
        `${where(last)} did not import ${arn}, which the request names`,
      );
    } else if (key.keyState !== 'Enabled') {
      report(
        'error',
        'incomplete',
        last,
        `${where(last)}: ${arn} ended in state ${key.keyState ?? 'unknown'}, not Enabled`,
      );
    } else if (key.proof === undefined || !PROOF_KINDS.includes(key.proof)) {
      report(
        'error',
        'incomplete',
        last,
        `${where(last)}: no proof is recorded that ${arn} holds the material`,
      );
    }
  }
}

/**
 * The ceremony is done when the last import put material into every key of its request, proven
 * and Enabled; with the offline log alone, when it holds a successful wrap.
 */
export function checkCeremonyCompleted(
  offline: readonly LoggedEntry[] | undefined,
  online: readonly LoggedEntry[] | undefined,
  report: Report,
): void {
  if (online === undefined) {
    if (offline !== undefined && okWraps(offline).length === 0)
      report('error', 'incomplete', null, 'the offline log has no successful wrap');
    return;
  }
  const last = okEntries(online, 'import').at(-1);
  if (last === undefined) {
    report(
      'error',
      'incomplete',
      null,
      'the ceremony did not complete: the online log has no successful import',
    );
  } else if (isRawEntry(last.entry)) {
    checkRawCompletion(online, last, report);
  } else {
    checkImportCompleted(online, last, report);
  }
}
