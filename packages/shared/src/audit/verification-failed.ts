import { ByokError } from '../errors.js';
import { formatAuditFinding } from './audit-finding.js';
import type { TranscriptResult } from './verify-transcript.js';

/** The error `audit verify` and `report` end with when logs fail, listing every problem. */
export function verificationFailed(result: TranscriptResult): ByokError {
  const errors = result.findings.filter((f) => f.severity === 'error');
  const altered =
    'Treat the ceremony record as altered or incomplete: compare the logs with the archived copies and the heads on the paper record, and write the finding down.';
  const anchor =
    "Pin the operators' keys with --operator-pubkey FILE, or give each log's head as written on the paper record with --expect-head HASH (audit head LOG prints it), so that no wrap or import rests on nothing.";
  const unanchored = errors.some((f) => f.code === 'unanchored');
  const onlyUnanchored = errors.every((f) => f.code === 'unanchored');
  return new ByokError(
    'ERR_AUDIT_VERIFY',
    `the audit log(s) failed verification (${errors.length} problem(s)):\n${errors.map((f) => `  ${formatAuditFinding(f)}`).join('\n')}`,
    {
      hint: onlyUnanchored ? anchor : unanchored ? `${altered} ${anchor}` : altered,
      details: errors.map(formatAuditFinding),
    },
  );
}
