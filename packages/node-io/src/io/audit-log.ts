import { constants } from 'node:fs';
import { access, appendFile, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
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

/**
 * Proves, before a command does anything, that the log can take its entry: the file exists and
 * opens for appending, or its folder exists and is writable; its last line is whole and is the
 * entry its place in the chain says. Returns where the next entry goes.
 */
export async function assertAuditLogUsable(path: string): Promise<ChainPosition> {
  const unusable = (why: string): ByokError =>
    new ByokError('ERR_AUDIT_LOG', `cannot use the audit log ${path}: ${why}`, {
      hint: 'Nothing was done. Give --audit-log a writable file in an existing folder (the log of this machine).',
    });
  let position: ChainPosition;
  try {
    position = await readAuditLogPosition(path);
  } catch (error) {
    if (error instanceof ByokError) throw error;
    throw unusable((error as Error).message);
  }
  if (position.seq === 0 && position.head === null) {
    const folder = dirname(path);
    const isFolder = await stat(folder).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isFolder) throw unusable(`its folder ${folder} does not exist`);
    await access(folder, constants.W_OK | constants.X_OK).catch(() => {
      throw unusable(`its folder ${folder} is not writable`);
    });
  } else {
    await assertChainTail(path, position).catch((error: unknown) => {
      throw error instanceof ByokError ? error : unusable((error as Error).message);
    });
  }
  await open(path, constants.O_WRONLY | constants.O_APPEND).then(
    (handle) => handle.close(),
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw unusable((error as Error).message);
    },
  );
  return position;
}

/** The last line must be entry `seq - 1`, so a new entry cannot fork or restart the chain. */
async function assertChainTail(path: string, position: ChainPosition): Promise<void> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line.length > 0);
  const last = parseStrictJson(lines.at(-1)!) as { seq?: unknown; prev?: unknown } | null;
  const previous = lines.at(-2);
  const prev = previous === undefined ? null : auditEntryHash(previous);
  if (
    last === null ||
    typeof last !== 'object' ||
    last.seq !== position.seq - 1 ||
    last.prev !== prev
  )
    throw new ByokError(
      'ERR_AUDIT_LOG',
      `the audit log ${path} does not end in a chained entry (line ${lines.length}): nothing more can be appended to it`,
      {
        hint: `Keep ${path} as it is, check it with audit verify, and continue in a new log with --audit-log NEW.`,
      },
    );
}
