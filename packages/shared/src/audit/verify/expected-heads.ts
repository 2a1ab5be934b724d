import { ByokError } from '../../errors.js';
import { headMatches, parseExpectedHead, type ExpectedHead } from '../head-code.js';
import type { AuditChainResult } from '../verify-chain.js';
import { nearestHead, type NearestHead } from './nearest-head.js';
import type { Report } from './report.js';

function invalidHead(typed: string): never {
  throw new ByokError('ERR_USAGE', `--expect-head ${JSON.stringify(typed)} is not a log head`, {
    hint: 'Give a head as audit head prints it: its head code (6 groups of 4) or its 64 hex digits.',
  });
}

const TAMPERED = 'a log was truncated, replaced, or lines were added';

/**
 * A typo first (where the typed head departs from the nearest head the logs ever had), then
 * what it means if the head was typed as written: the message never starts with tampering.
 */
function whyNoLogEndsThere(h: ExpectedHead, near: NearestHead | undefined): string {
  if (near === undefined)
    return `it may be mistyped (compare it with the paper record); if it is as written there, ${TAMPERED}`;
  const where = `line ${near.line} of ${near.file}${near.last ? ' (its last line)' : ''}`;
  if (near.distance === 0)
    return `it is the head of ${where}, not the log's last line: lines were added after the head written down, or it was taken before the ceremony ended; check the paper record`;
  const unit = h.form === 'hex' ? 'hex digit' : 'group';
  return `it may be mistyped: the nearest head of the logs, ${where}, first differs at ${unit} ${near.firstDifference} (typed ${near.typed}, the log has ${near.actual}; ${near.distance} of ${near.length} characters differ); if it is as written on the paper record, ${TAMPERED}`;
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
        `no ${h.tool ?? ''}${h.tool === undefined ? '' : ' '}log ends at the head ${h.value} (${h.source}): ${whyNoLogEndsThere(h, nearestHead(h, fits))}`,
      );
  }
  return expected;
}
