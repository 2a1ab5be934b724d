import type { AuditFinding } from '../audit-finding.js';
import type { TranscriptVerdict } from './transcript-types.js';

/** Any error fails the record, unless every error is only an entry no anchor covers. */
export function verdictOf(findings: readonly AuditFinding[]): TranscriptVerdict {
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length === 0) return 'VERIFIED';
  return errors.every((f) => f.code === 'unanchored') ? 'UNANCHORED' : 'FAILED';
}
