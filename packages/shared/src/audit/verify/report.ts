import type { AuditFinding } from '../audit-finding.js';
import type { LoggedEntry } from '../verify-chain.js';

/** How a rule records what it found; the transcript gathers every finding in rule order. */
export type Report = (
  severity: AuditFinding['severity'],
  code: AuditFinding['code'],
  at: LoggedEntry | null,
  message: string,
) => void;

/** An entry as findings name it: `line 7 (wrap)`. */
export function where(e: LoggedEntry): string {
  return `line ${e.line} (${e.entry.command})`;
}
