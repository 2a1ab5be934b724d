import { ByokError } from '../../errors.js';
import { headMatches, parseExpectedHead, type ExpectedHead } from '../head-code.js';
import type { AuditChainResult } from '../verify-chain.js';
import type { Report } from './report.js';

function invalidHead(typed: string): never {
  throw new ByokError('ERR_USAGE', `--expect-head ${JSON.stringify(typed)} is not a log head`, {
    hint: 'Give a head as audit head prints it: its head code (6 groups of 4) or its 64 hex digits.',
  });
}

/**
 * Each head from the paper record (or --expect-head) must end a given log of its tool: a log that
 * ends elsewhere was truncated, replaced or extended. Returns the heads parsed, the anchors.
 */
export function checkExpectedHeads(
  chains: readonly AuditChainResult[],
  given: readonly (ExpectedHead | string)[],
  report: Report,
): ExpectedHead[] {
  const expected = given.map((h) =>
    typeof h === 'string' ? (parseExpectedHead(h, '--expect-head') ?? invalidHead(h)) : h,
  );
  for (const h of expected) {
    const fits = chains.filter(
      (c) => c.head !== null && (h.tool === undefined || h.tool === c.tool),
    );
    if (!fits.some((c) => headMatches(h, c.head!)))
      report(
        'error',
        'head-unexpected',
        null,
        `no ${h.tool ?? ''}${h.tool === undefined ? '' : ' '}log ends at the head ${h.value} (${h.source}): a log was truncated, replaced, or lines were added`,
      );
  }
  return expected;
}
