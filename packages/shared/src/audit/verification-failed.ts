import { ByokError } from '../errors.js';
import { formatAuditFinding } from './audit-finding.js';
import type { TranscriptResult } from './verify-transcript.js';

/** The error `audit verify` and `report` end with when logs fail, listing every problem. */
export function verificationFailed(result: TranscriptResult): ByokError {
  const errors = result.findings.filter((f) => f.severity === 'error');
  return new ByokError(
    'ERR_AUDIT_VERIFY',
    `the audit log(s) failed verification (${errors.length} problem(s)):\n${errors.map((f) => `  ${formatAuditFinding(f)}`).join('\n')}`,
    {
      hint: 'Treat the ceremony record as altered or incomplete: compare the logs with the archived copies and the heads on the paper record, and write the finding down.',
      details: errors.map(formatAuditFinding),
    },
  );
}
