import { headMatches, type ExpectedHead } from '../head-code.js';
import type { AuditChainResult, LoggedEntry } from '../verify-chain.js';
import type { AnchorRoot } from './anchor-coverage.js';

/** Where protection starts: each log whose head the paper record gives, each pinned signature. */
export function anchorRoots(
  chains: readonly AuditChainResult[],
  expected: readonly ExpectedHead[],
  pinnedSigned: ReadonlyMap<LoggedEntry, string[]>,
): AnchorRoot[] {
  const roots: AnchorRoot[] = [];
  for (const chain of chains) {
    const last = chain.entries.find((x) => x.hash === chain.head);
    if (last === undefined) continue;
    for (const h of expected)
      if ((h.tool === undefined || h.tool === chain.tool) && headMatches(h, chain.head!))
        roots.push({ entry: last, anchor: `the head of ${chain.file} (${h.source})` });
  }
  for (const [e, operators] of pinnedSigned)
    roots.push({
      entry: e,
      anchor: `the pinned signature(s) of ${operators.join(' and ')} on ${e.file}:${e.line}`,
    });
  return roots;
}
