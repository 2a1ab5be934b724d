import { checkCodeOf } from '../../check-code/check-code.js';
import type { LoggedEntry } from '../verify-chain.js';
import { where, type Report } from './report.js';

/** A recorded check code must be the one its recorded bundle digest gives. */
export function checkCodesMatchDigests(e: LoggedEntry, report: Report): void {
  for (const [label, code] of Object.entries(e.entry.checkCodes)) {
    const digest = e.entry.inputs[label] ?? e.entry.outputs[label];
    if (digest !== undefined && checkCodeOf(digest) !== code) {
      report(
        'error',
        'check-code-mismatch',
        e,
        `${where(e)}: the ${label} check code ${code} is not the one of the recorded ${label} digest`,
      );
    }
  }
}
