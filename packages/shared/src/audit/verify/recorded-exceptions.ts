import type { LoggedEntry } from '../verify-chain.js';
import { SINGLE_OPERATOR_EXCEPTION } from './ceremony-commands.js';
import { where, type Report } from './report.js';

/**
 * Exceptions and failures are legitimate but must stand out in the record; single-operator is
 * left to the two-person rule, which reports it with its context.
 */
export function reportExceptionsAndFailures(e: LoggedEntry, report: Report): void {
  const others = e.entry.exceptions.filter((x) => x !== SINGLE_OPERATOR_EXCEPTION);
  if (others.length > 0)
    report(
      'exception',
      'recorded-exception',
      e,
      `${where(e)} records exception(s): ${others.join(', ')}`,
    );
  if (e.entry.outcome === 'error')
    report(
      'exception',
      'command-failed',
      e,
      `${where(e)} failed: ${e.entry.error?.code ?? ''} ${e.entry.error?.message ?? ''}`.trimEnd(),
    );
}
