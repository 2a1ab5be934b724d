import { parseStrictJson, type AuditEntry } from '@byok-ceremony/shared';
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
  let text: string;
  try {
    // Bounded and no link followed, as every read of an audit log.
    text = (await readFileBounded(path, AUDIT_LOG_MAX_BYTES, { regularFileOnly: true })).toString(
      'utf8',
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return auditLogEntriesOf(text);
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
