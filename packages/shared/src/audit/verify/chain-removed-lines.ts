import type { ParsedLine } from './chain-line.js';
import type { ChainReport } from './chain-report.js';

/**
 * Removed lines: seqs that no line holds, unless an unreadable line sits where they belong.
 * Only the gaps between the seqs present are walked, so a forged huge seq costs nothing.
 */
export function checkRemovedLines(
  parsed: readonly ParsedLine[],
  genuine: ReadonlyMap<number, ParsedLine>,
  report: ChainReport,
): void {
  const seqs = [...genuine.keys()].sort((a, b) => a - b);
  const unreadableSeqs = parsed.filter((l) => l.entry === undefined).map((l) => l.line - 1);
  let u = 0;
  let expected = 0;
  for (const present of seqs) {
    if (present > expected) {
      const first = expected;
      const last = present - 1;
      while (u < unreadableSeqs.length && unreadableSeqs[u]! < first) u++;
      let explained = 0;
      while (u < unreadableSeqs.length && unreadableSeqs[u]! <= last) {
        explained++;
        u++;
      }
      const unexplained = last - first + 1 - explained;
      if (unexplained > 0) {
        const next = genuine.get(present)!;
        report(
          'line-removed',
          next.line,
          `${unexplained} line(s) removed before line ${next.line}: seq ${first === last ? first : `${first}–${last}`} is missing`,
        );
      }
    }
    expected = present + 1;
  }
}
