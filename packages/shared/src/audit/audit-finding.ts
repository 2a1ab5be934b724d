/**
 * What a verifier says about a log. `error` fails verification; `exception` is a departure the
 * ceremony allows but the record must show (a rehearsal alone, a failed step retried); `info`
 * states what was checked.
 */
export type AuditFindingSeverity = 'error' | 'exception' | 'info';

export type AuditFindingCode =
  | 'log-empty'
  | 'line-unreadable'
  | 'entry-invalid'
  | 'line-edited'
  | 'line-removed'
  | 'line-inserted'
  | 'line-out-of-order'
  | 'first-entry'
  | 'tool-mismatch'
  | 'head-unexpected'
  | 'two-person-rule'
  | 'operator-name-collision'
  | 'single-operator'
  | 'command-failed'
  | 'recorded-exception'
  | 'signature-invalid'
  | 'signature-missing'
  | 'signature-unexpected-key'
  | 'signature-operator'
  | 'operator-unpinned'
  | 'unanchored'
  | 'anchor'
  | 'interlock'
  | 'check-code-mismatch'
  | 'incomplete'
  | 'kcv-conflict'
  | 'material-not-new'
  | 'rotation-missing'
  | 'not-checked';

export interface AuditFinding {
  readonly severity: AuditFindingSeverity;
  readonly code: AuditFindingCode;
  /** The log file the finding is about, or null when it is about the transcript as a whole. */
  readonly file: string | null;
  /** 1-based line number in that file, or null. */
  readonly line: number | null;
  readonly message: string;
}

/** `FILE:LINE: message`, the form people and editors both read. */
export function formatAuditFinding(finding: AuditFinding): string {
  const where =
    finding.file === null
      ? ''
      : `${finding.file}${finding.line === null ? '' : `:${finding.line}`}: `;
  return `${where}${finding.message}`;
}
