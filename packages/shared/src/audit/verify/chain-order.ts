import type { ParsedLine } from './chain-line.js';
import type { ChainReport } from './chain-report.js';

/** Reordering: in file order, seqs must only grow (inserted lines are reported already). */
export function checkLineOrder(
  readable: readonly ParsedLine[],
  inserted: ReadonlySet<ParsedLine>,
  report: ChainReport,
): void {
  let highest: ParsedLine | undefined;
  for (const l of readable) {
    if (inserted.has(l)) continue;
    if (highest !== undefined && l.entry!.seq < highest.entry!.seq) {
      report(
        'line-out-of-order',
        l.line,
        `line ${l.line} (seq ${l.entry!.seq}) is out of order: it comes after line ${highest.line} (seq ${highest.entry!.seq}); lines were swapped or moved`,
      );
    } else {
      highest = l;
    }
  }
}
