import { canonicalJson } from '../../digest/canonical-json.js';
import { parseStrictJson, StrictJsonError } from '../../encoding/strict-json.js';
import type { AuditFinding } from '../audit-finding.js';
import { auditEntryProblems } from '../audit-entry-problems.js';
import { auditEntryHash } from '../chain.js';
import type { AuditEntry } from '../record.js';
import type { ChainReport } from './chain-report.js';

/** One line of a log file: its hash always, its entry only if it is one as a tool writes it. */
export interface ParsedLine {
  readonly line: number;
  readonly text: string;
  readonly hash: string;
  readonly entry: AuditEntry | undefined;
}

/**
 * Longest audit line read: an import of 10,000 keys writes about 4.5 M characters (450 a key),
 * and prepare refuses a request of more than about 14,400 keys (docs/bundle-format.md), whose
 * import writes about 6.5 M.
 */
export const AUDIT_LINE_MAX_CHARS = 16 * 1024 * 1024;

/** A line's entry, or why it is none (as its finding says it). */
type LineReading =
  { readonly value: unknown } | { readonly code: AuditFinding['code']; readonly message: string };

/** Reads a line as a tool writes an entry: bounded, strict JSON, a valid entry, canonical. */
function readLine(text: string, line: number): LineReading {
  if (text.length > AUDIT_LINE_MAX_CHARS)
    return {
      code: 'line-unreadable',
      message: `line ${line} is ${text.length} characters long, above the limit of ${AUDIT_LINE_MAX_CHARS}: no tool writes such a line`,
    };
  let value: unknown;
  try {
    value = parseStrictJson(text);
  } catch (error) {
    // JSON, but not as a tool writes it: a repeated key could show each reader another value.
    if (error instanceof StrictJsonError && error.problem !== 'syntax')
      return {
        code: 'entry-invalid',
        message: `line ${line} is not a valid audit entry (it was edited): ${error.message}`,
      };
    return {
      code: 'line-unreadable',
      message: `line ${line} is not a JSON entry: it was edited, or a write was cut off`,
    };
  }
  const problems = auditEntryProblems(value);
  if (problems.length === 0 && canonicalJson(value) !== text)
    problems.push('not in canonical form');
  if (problems.length === 0) return { value };
  return {
    code: 'entry-invalid',
    message: `line ${line} is not a valid audit entry (it was edited): ${problems.join('; ')}`,
  };
}

/** Reads one line of a log; a line that is no entry keeps its hash and gets one finding. */
export function parseChainLine(text: string, line: number, report: ChainReport): ParsedLine {
  const hash = auditEntryHash(text);
  const reading = readLine(text, line);
  if ('value' in reading) return { line, text, hash, entry: reading.value as AuditEntry };
  report(reading.code, line, reading.message);
  return { line, text, hash, entry: undefined };
}
