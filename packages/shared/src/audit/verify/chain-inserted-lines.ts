import type { ParsedLine } from './chain-line.js';
import type { ChainReport } from './chain-report.js';

/** The line the chain vouches for at each seq, and the lines that repeat a seq: inserted. */
export interface GenuineLines {
  readonly genuine: Map<number, ParsedLine>;
  readonly inserted: Set<ParsedLine>;
}

/** Among lines claiming one seq, the line the chain vouches for; the others were inserted. */
function genuineOf(
  claimants: readonly ParsedLine[],
  bySeq: ReadonlyMap<number, readonly ParsedLine[]>,
  seq: number,
): ParsedLine {
  const named = new Set((bySeq.get(seq + 1) ?? []).map((l) => l.entry!.prev));
  const byNext = claimants.filter((l) => named.has(l.hash));
  if (byNext.length === 1) return byNext[0]!;
  const previous = new Set((bySeq.get(seq - 1) ?? []).map((l) => l.hash));
  const byPrev = claimants.filter((l) => seq === 0 || previous.has(l.entry!.prev ?? ''));
  return byPrev.length === 1 ? byPrev[0]! : claimants[0]!;
}

/** One line per seq: a second line with a seq was inserted, whichever of them comes first. */
export function checkInsertedLines(
  readable: readonly ParsedLine[],
  report: ChainReport,
): GenuineLines {
  const bySeq = new Map<number, ParsedLine[]>();
  for (const l of readable) bySeq.set(l.entry!.seq, [...(bySeq.get(l.entry!.seq) ?? []), l]);
  const genuine = new Map<number, ParsedLine>();
  const inserted = new Set<ParsedLine>();
  for (const [seq, claimants] of bySeq) {
    const kept = genuineOf(claimants, bySeq, seq);
    genuine.set(seq, kept);
    for (const l of claimants) {
      if (l === kept) continue;
      inserted.add(l);
      report(
        'line-inserted',
        l.line,
        `line ${l.line} was inserted: it repeats seq ${seq} of line ${kept.line}, and the chain vouches for line ${kept.line}`,
      );
    }
  }
  return { genuine, inserted };
}
