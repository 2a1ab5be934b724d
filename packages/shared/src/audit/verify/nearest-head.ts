import { headCodeOf, type ExpectedHead } from '../head-code.js';
import type { AuditChainResult } from '../verify-chain.js';

/** Where a typed head first departs from the closest head the logs have. */
export interface NearestHead {
  readonly file: string;
  readonly line: number;
  /** Whether that line is its log's last: the head a paper record names. */
  readonly last: boolean;
  /** Characters that differ (head code or hex form, as typed). */
  readonly distance: number;
  readonly length: number;
  /** 1-based: the group of four (head code) or the hex digit where they first differ. */
  readonly firstDifference: number;
  readonly typed: string;
  readonly actual: string;
}

function differences(a: string, b: string): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++)
    if (a[i] !== b[i]) {
      count++;
      if (first < 0) first = i;
    }
  return { count, first };
}

/**
 * Of every entry's hash in the logs that may end at `expected` (each line a head the log once
 * had), the one that differs from it in the fewest characters, in the form it was typed.
 */
export function nearestHead(
  expected: ExpectedHead,
  chains: readonly AuditChainResult[],
): NearestHead | undefined {
  let best: NearestHead | undefined;
  for (const chain of chains)
    for (const [i, e] of chain.entries.entries()) {
      const actual = expected.form === 'hex' ? e.hash : headCodeOf(e.hash);
      const { count, first } = differences(expected.value, actual);
      if (best !== undefined && count >= best.distance) continue;
      const typedAt = expected.form === 'hex' ? first : Math.floor(first / 5) * 5;
      const width = expected.form === 'hex' ? 1 : 4;
      best = {
        file: chain.file,
        line: e.line,
        last: i === chain.entries.length - 1 && e.hash === chain.head,
        distance: count,
        length: expected.value.replaceAll('-', '').length,
        firstDifference: expected.form === 'hex' ? first + 1 : Math.floor(first / 5) + 1,
        typed: first < 0 ? '' : expected.value.slice(typedAt, typedAt + width),
        actual: first < 0 ? '' : actual.slice(typedAt, typedAt + width),
      };
    }
  return best;
}
