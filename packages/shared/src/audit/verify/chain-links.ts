import type { ParsedLine } from './chain-line.js';
import type { ChainReport } from './chain-report.js';

/** Links: each entry names the hash of the entry before it, so an edit shows at the next line. */
export function checkChainLinks(genuine: ReadonlyMap<number, ParsedLine>, report: ChainReport) {
  for (const [seq, l] of [...genuine].sort(([a], [b]) => a - b)) {
    const prev = l.entry!.prev;
    if (seq === 0) {
      if (prev !== null)
        report(
          'first-entry',
          l.line,
          `line ${l.line} has seq 0 but names a previous entry: the start of the log was replaced`,
        );
      continue;
    }
    const before = genuine.get(seq - 1);
    if (prev === null) {
      report(
        'first-entry',
        l.line,
        `line ${l.line} (seq ${seq}) claims to be the first entry: it was edited`,
      );
    } else if (before !== undefined && before.hash !== prev) {
      report(
        'line-edited',
        before.line,
        `line ${before.line} was edited: its hash no longer matches the prev recorded in line ${l.line}`,
      );
    }
  }
}
