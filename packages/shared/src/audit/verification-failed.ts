import { ByokError } from '../errors.js';
import { listedProblems } from '../validation/field-checker.js';
import { formatAuditFinding } from './audit-finding.js';
import type { TranscriptResult } from './verify/transcript-types.js';

/** How to anchor a ceremony, for every UNANCHORED verdict. */
export const ANCHOR_HINT =
  "Pin the operators' keys with --operator-pubkey FILE, or give each log's head as written on the paper record with --expect-head HEAD-CODE or --paper-record FILE (audit head LOG prints both forms), so that no wrap or import rests on nothing.";

/**
 * The error `audit verify` and `report` end with when logs are not VERIFIED, listing every
 * problem: ERR_AUDIT_UNANCHORED when nothing is wrong but an anchor is missing.
 */
export function verificationFailed(result: TranscriptResult): ByokError {
  const errors = result.findings.filter((f) => f.severity === 'error');
  const listed = listedProblems(errors.map(formatAuditFinding));
  if (result.verdict === 'UNANCHORED')
    return new ByokError(
      'ERR_AUDIT_UNANCHORED',
      `the audit log(s) are UNANCHORED: nothing the verifier trusts covers them (${errors.length} problem(s)):\n${listed.map((line) => `  ${line}`).join('\n')}`,
      { hint: ANCHOR_HINT, details: listed },
    );
  const altered =
    'Treat the ceremony record as altered or incomplete: compare the logs with the archived copies and the heads on the paper record, and write the finding down.';
  const unanchored = errors.some((f) => f.code === 'unanchored');
  // A head typed off paper is the likeliest thing to be wrong: said before any tampering.
  const typedHead = errors.some((f) => f.code === 'head-unexpected')
    ? "First compare each head given with the paper record: a head code may be mistyped (audit head LOG prints each log's head). If they are as written there: "
    : '';
  return new ByokError(
    'ERR_AUDIT_VERIFY',
    `the audit log(s) failed verification (${errors.length} problem(s)):\n${listed.map((line) => `  ${line}`).join('\n')}`,
    {
      hint: `${typedHead}${unanchored ? `${altered} ${ANCHOR_HINT}` : altered}`,
      details: listed,
    },
  );
}
