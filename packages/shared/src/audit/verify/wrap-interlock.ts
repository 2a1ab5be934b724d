import { REQUEST_LABEL } from '../audit-label.js';
import type { LoggedEntry } from '../verify-chain.js';
import { predecessorHash, sameCheckCode, writerOf } from './logged-entries.js';
import { where, type Report } from './report.js';

/**
 * Each wrap read a request that a prepare of the online log wrote, right after the online head
 * the request carried, with the same check code.
 */
export function checkWrapsAnswerPrepares(
  wraps: readonly LoggedEntry[],
  prepares: readonly LoggedEntry[],
  online: readonly LoggedEntry[],
  report: Report,
): void {
  for (const w of wraps) {
    const p = writerOf(prepares, REQUEST_LABEL, w.entry.inputs[REQUEST_LABEL]);
    if (p === undefined) {
      report(
        'error',
        'interlock',
        w,
        `${where(w)} wrapped a request that no prepare in the online log wrote`,
      );
      continue;
    }
    if (w.entry.peerLogHead !== predecessorHash(online, p)) {
      report(
        'error',
        'interlock',
        w,
        `${where(w)} names online log head ${w.entry.peerLogHead ?? 'null'}, but the request was written by the prepare at online line ${p.line}, after another entry`,
      );
    }
    if (!sameCheckCode(w.entry, p.entry, REQUEST_LABEL))
      report(
        'error',
        'interlock',
        w,
        `${where(w)} records another request check code than online line ${p.line}`,
      );
  }
}
