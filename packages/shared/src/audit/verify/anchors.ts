import type { AuditChainResult, LoggedEntry } from '../verify-chain.js';
import { anchorCoverage, type AnchorRoot, type Coverage } from './anchor-coverage.js';
import { isTwoPersonSuccess } from './ceremony-commands.js';
import { where, type Report } from './report.js';

/** Line numbers as short ranges for a message: `lines 1–4, 7`. */
function lineRanges(entries: readonly LoggedEntry[]): string {
  const ranges: string[] = [];
  let start = 0;
  for (let i = 1; i <= entries.length; i++) {
    if (i < entries.length && entries[i]!.line === entries[i - 1]!.line + 1) continue;
    const first = entries[start]!.line;
    const last = entries[i - 1]!.line;
    ranges.push(first === last ? `${first}` : `${first}–${last}`);
    start = i;
  }
  return `${entries.length === 1 ? 'line' : 'lines'} ${ranges.join(', ')}`;
}

/** Says which lines of one log the anchors cover, and refuses a wrap or import none covers. */
function reportChainCoverage(
  chain: AuditChainResult,
  covered: ReadonlyMap<LoggedEntry, Coverage>,
  report: Report,
): void {
  const uncovered = chain.entries.filter((e) => !covered.has(e));
  const anchors = [
    ...new Set(chain.entries.flatMap((e) => (covered.has(e) ? [covered.get(e)!.anchor] : []))),
  ];
  const by = anchors.length === 0 ? '' : `covered by ${anchors.join('; ')}`;
  report(
    'info',
    'anchor',
    chain.entries[0]!,
    uncovered.length === 0
      ? `all ${chain.entries.length} line(s) ${by}`
      : `${lineRanges(uncovered)} covered by no anchor${by === '' ? '' : `; the others ${by}`}`,
  );
  for (const e of uncovered) {
    if (!isTwoPersonSuccess(e.entry)) continue;
    report(
      'error',
      'unanchored',
      e,
      `${where(e)} is covered by no anchor: no paper-record head of ${chain.file}, no pinned operator's signature on it or a later line, and no covered line of the other log naming it or a later line, so it could be forged or replaced without a trace`,
    );
  }
}

/**
 * Only anchors protect: a head from the paper record, a pinned operator's signature, and what an
 * anchored line names. A successful wrap or import that no anchor covers is reported.
 */
export function checkAnchors(
  chains: readonly AuditChainResult[],
  roots: readonly AnchorRoot[],
  anchorsGiven: boolean,
  report: Report,
): Map<LoggedEntry, Coverage> {
  const covered = anchorCoverage(
    chains.flatMap((c) => (c.tool === null ? [] : [{ tool: c.tool, entries: c.entries }])),
    roots,
  );
  if (!anchorsGiven && chains.some((c) => c.entries.length > 0))
    report(
      'error',
      'unanchored',
      null,
      'no anchor was given: no --expect-head or --paper-record head and no --operator-pubkey, and a hash chain proves nothing by itself (whoever rewrites a log can recompute it)',
    );
  for (const chain of chains) {
    if (chain.entries.length > 0) reportChainCoverage(chain, covered, report);
  }
  return covered;
}
