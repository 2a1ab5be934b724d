import { parseStrictJson, verifyAuditChain, type AuditEntry } from '@byok-ceremony/shared';
import { nodeAuditEntryHash } from '../crypto/bundle-digest.js';
import { AUDIT_LOG_MAX_BYTES } from './input-limits.js';
import { readFileBounded } from './read-bounded.js';

export interface LoggedAuditEntry {
  readonly hash: string;
  readonly entry: AuditEntry;
}

/**
 * This machine's own log, entry by entry with each entry's hash, for the checks a command makes
 * against its own history (which log a request came from, which keys were already imported).
 * Lines that do not parse are left out: `audit verify` is where a log is judged.
 */
export async function readAuditLogEntries(path: string): Promise<LoggedAuditEntry[]> {
  const text = await readOwnLog(path);
  return text === undefined ? [] : auditLogEntriesOf(text);
}

/**
 * This machine's log entries only when its hash chain holds from the first line to the last (no
 * edit, insertion, removal or reordering `audit verify` would name); otherwise none. For the use
 * of the log that grants something rather than refuses it: prepare --plan taking a key an
 * earlier run logged creating. A chain a writer of the file recomputed still passes here: the
 * witness's head codes are what anchor it (docs/audit-log.md).
 */
export async function readIntactAuditLogEntries(path: string): Promise<LoggedAuditEntry[]> {
  const text = await readOwnLog(path);
  if (text === undefined) return [];
  const chain = verifyAuditChain(path, text);
  if (chain.findings.some((f) => f.severity === 'error')) return [];
  return chain.entries.map(({ hash, entry }) => ({ hash, entry }));
}

/** The log's text, or undefined before its first entry. */
async function readOwnLog(path: string): Promise<string | undefined> {
  try {
    // Bounded and no link followed, as every read of an audit log.
    return (await readFileBounded(path, AUDIT_LOG_MAX_BYTES, { regularFileOnly: true })).toString(
      'utf8',
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A log's text entry by entry, lines that do not parse left out (as readAuditLogEntries does). */
export function auditLogEntriesOf(text: string): LoggedAuditEntry[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .flatMap((line) => {
      try {
        return [{ hash: nodeAuditEntryHash(line), entry: parseStrictJson(line) as AuditEntry }];
      } catch {
        return [];
      }
    });
}
