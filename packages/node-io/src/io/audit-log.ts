import { constants } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  ByokError,
  canonicalJson,
  nextAuditEntry,
  parseStrictJson,
  signAuditEntry,
  type AuditRecord,
  type AuditSigner,
  type ChainPosition,
} from '@byok-ceremony/shared';
import { nodeAuditEntryHash } from '../crypto/bundle-digest.js';
import { syncDirectory } from './sync-directory.js';
import { acquireFileLock, FileLockError, type HeldFileLock } from './file-lock.js';
import { AUDIT_LOG_MAX_BYTES } from './input-limits.js';
import { BoundedReadError, readFileBounded } from './read-bounded.js';

/** A lock older than this is a crashed command's: an append holds it for milliseconds. */
const LOCK_STALE_MS = 10_000;
/** Tries while another command appends: about 45 s of waits growing from 5 ms to 250 ms. */
const LOCK_RETRIES = 200;

/** Where an existing log ends: the next entry's seq and the last entry's hash. */
export async function readAuditLogPosition(path: string): Promise<ChainPosition> {
  let text: string;
  try {
    text = (await readFileBounded(path, AUDIT_LOG_MAX_BYTES, { regularFileOnly: true })).toString(
      'utf8',
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { seq: 0, head: null };
    throw unusableLog(path, error);
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
  return { seq: lines.length, head: last === undefined ? null : nodeAuditEntryHash(last) };
}

/** Why a log path cannot be read or appended to, as an operator can act on it. */
function unusableLog(path: string, error: unknown): ByokError {
  const code = (error as NodeJS.ErrnoException).code;
  const hint = `Give --audit-log a regular file of this machine's log (never a link), or a new path for a new log.`;
  if (code === 'ELOOP')
    return new ByokError(
      'ERR_AUDIT_LOG',
      `the audit log ${path} is a symbolic link: it is not followed, nothing was written`,
      { hint },
    );
  if (error instanceof BoundedReadError)
    return new ByokError('ERR_AUDIT_LOG', `the audit log ${path} is refused: ${error.message}`, {
      hint:
        error.refusal === 'too-large'
          ? `A log is at most ${AUDIT_LOG_MAX_BYTES} bytes: continue in a new log with --audit-log NEW and write the change on the paper record.`
          : hint,
    });
  if (error instanceof ByokError) return error;
  return new ByokError(
    'ERR_AUDIT_LOG',
    `cannot use the audit log ${path}: ${(error as Error).message}`,
    { hint, cause: error },
  );
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
 * Holds `PATH.lock` (a file created exclusively, refreshed while held and taken over once stale:
 * `file-lock.ts`) so that two commands cannot both extend the same head.
 */
async function withLogLock<T>(
  path: string,
  work: (assertHeld: () => Promise<void>) => Promise<T>,
): Promise<T> {
  let lock: HeldFileLock;
  try {
    lock = await acquireFileLock(`${path}.lock`, {
      staleMs: LOCK_STALE_MS,
      retries: LOCK_RETRIES,
    });
  } catch (error) {
    const busy = error instanceof FileLockError && error.code === 'ELOCKED';
    throw new ByokError(
      'ERR_AUDIT_LOG',
      busy
        ? `the audit log ${path} is locked by another command (${path}.lock): nothing was written`
        : `cannot lock the audit log ${path}: ${(error as Error).message}`,
      {
        hint: busy
          ? `Wait for the other command to finish; if none runs, ${path}.lock is taken over once its process has ended, or ${LOCK_STALE_MS / 1000} s after its last refresh.`
          : 'Check that the folder of the log exists and is writable.',
        cause: error,
      },
    );
  }
  try {
    return await work(() => lock.assertHeld());
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/**
 * The refusal of an append whose command gave out the log's head (in a bundle) and found another
 * entry after it: its entry would not follow the head its bundle names, breaking the interlock.
 */
export class AuditLogHeadMovedError extends ByokError {
  constructor(path: string, expected: string | null, found: ChainPosition) {
    super(
      'ERR_AUDIT_LOG',
      `the audit log ${path} moved while this command ran: its bundle names the head ${expected ?? 'of an empty log'}, but another command appended line ${found.seq} after it`,
      {
        hint: `Run one command at a time on ${path}, then run this command again: its outputs were removed, since the head they carry is no longer the head of the log.`,
      },
    );
  }
}

/**
 * Appends one entry and flushes it to disk before the command reports success. Under the log's
 * lock, the position is read and the entry written, so concurrent commands chain one after the
 * other. With `expectedHead` (the head a command gave out in a bundle), the append is refused
 * with AuditLogHeadMovedError if the log no longer ends there: checked under the same lock as
 * the write. The log is opened with O_NOFOLLOW: a symbolic link at its path is refused, not
 * followed. Operators who hold operator keys sign the entry (seq, prev and time included) as
 * their confirmation.
 */
export async function appendAuditEntry(
  path: string,
  record: AuditRecord,
  meta: { readonly time: string; readonly tool: string; readonly toolVersion: string },
  signers: readonly AuditSigner[] = [],
  expectedHead?: string | null,
): Promise<string> {
  return withLogLock(path, async (assertHeld) => {
    const position = await readAuditLogPosition(path);
    if (expectedHead !== undefined && position.head !== expectedHead)
      throw new AuditLogHeadMovedError(path, expectedHead, position);
    const entry = nextAuditEntry(position, record, meta);
    const line = canonicalJson(signAuditEntry(entry, signers));
    const hash = nodeAuditEntryHash(line);
    let handle;
    try {
      handle = await open(
        path,
        constants.O_WRONLY |
          constants.O_APPEND |
          constants.O_CREAT |
          constants.O_NOFOLLOW |
          constants.O_NONBLOCK,
        0o600,
      );
    } catch (error) {
      throw unusableLog(path, error);
    }
    try {
      if (!(await handle.stat()).isFile())
        throw unusableLog(path, new BoundedReadError('not-a-file', 'it is not a regular file'));
      await assertHeld().catch((error: unknown) => {
        throw new ByokError(
          'ERR_AUDIT_LOG',
          `the lock of the audit log ${path} was lost: nothing was written`,
          { hint: 'Run the command again; keep one command at a time on one log.', cause: error },
        );
      });
      await handle.appendFile(`${line}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The first entry created the file: flush its folder too, or a crash could lose its name.
    if (position.seq === 0) await syncDirectory(dirname(path));
    return hash;
  });
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
  // The same bounded, no-follow read as readAuditLogPosition: a link swapped in between is refused.
  const text = await readFileBounded(path, AUDIT_LOG_MAX_BYTES, { regularFileOnly: true });
  const lines = text
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0);
  const last = parseStrictJson(lines.at(-1)!) as { seq?: unknown; prev?: unknown } | null;
  const previous = lines.at(-2);
  const prev = previous === undefined ? null : nodeAuditEntryHash(previous);
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
