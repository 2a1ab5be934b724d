import { appendFile, open, readFile } from 'node:fs/promises';
import {
  auditEntryHash,
  ByokError,
  canonicalJson,
  nextAuditEntryLine,
  parseStrictJson,
  signAuditEntry,
  type AuditRecord,
  type AuditSigner,
  type ChainPosition,
} from '@byok-ceremony/shared';

/** Where an existing log ends: the next entry's seq and the last entry's hash. */
export async function readAuditLogPosition(path: string): Promise<ChainPosition> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { seq: 0, head: null };
    throw error;
  }
  const lines = text.split('\n').filter((line) => line.length > 0);
  const last = lines.at(-1);
  if (last !== undefined && (!text.endsWith('\n') || !parsesAsJson(last))) {
    // Appending would glue the new entry onto the cut-off one, and hide both.
    throw new ByokError(
      'ERR_AUDIT_LOG',
      `the audit log ${path} ends in a cut-off line (line ${lines.length}${text.endsWith('\n') ? ' is not JSON' : ' has no line end'}): nothing more can be appended to it`,
      {
        hint: `Keep ${path} as it is (never edit a log), write the exception on the paper record, and continue in a new log with --audit-log NEW.`,
      },
    );
  }
  return { seq: lines.length, head: last === undefined ? null : auditEntryHash(last) };
}

function parsesAsJson(line: string): boolean {
  try {
    parseStrictJson(line);
    return true;
  } catch {
    return false;
  }
}

/**
 * Appends one entry and flushes it to disk before the command reports success. Operators who
 * hold operator keys sign the entry (seq, prev and time included) as their confirmation.
 */
export async function appendAuditEntry(
  path: string,
  record: AuditRecord,
  meta: { readonly time: string; readonly tool: string; readonly toolVersion: string },
  signers: readonly AuditSigner[] = [],
): Promise<string> {
  const position = await readAuditLogPosition(path);
  const { entry } = nextAuditEntryLine(position, record, meta);
  const line = canonicalJson(signAuditEntry(entry, signers));
  const hash = auditEntryHash(line);
  await appendFile(path, `${line}\n`, { mode: 0o600 });
  const handle = await open(path, 'r');
  await handle.sync();
  await handle.close();
  return hash;
}
