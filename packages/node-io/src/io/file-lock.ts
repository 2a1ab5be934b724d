import { constants } from 'node:fs';
import { lstat, open, readFile, rename, rmdir, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * An exclusive lock file of our own on node:fs, in place of an npm lock package (whose
 * dependency graceful-fs patches `fs` process-wide, in the air-gapped process too).
 *
 * The lock is a file created with O_CREAT|O_EXCL (atomic on local file systems), holding the
 * holder's pid, host, start time and a random token. While held, its mtime is refreshed every
 * `staleMs / 2`; a lock whose mtime is older than `staleMs`, or whose holder on this host is no
 * longer running, is a crashed command's and is taken over. A takeover renames the stale file
 * away first, so that of two waiters only one removes it; and the holder checks, right before it
 * writes, that the file at the lock path is still the one it wrote (`assertHeld`), so a lock
 * taken over from under it fails its command instead of letting two commands write.
 */
export interface HeldFileLock {
  /** Throws FileLockError('ELOST') unless the lock file is still the one this holder created. */
  assertHeld(): Promise<void>;
  /** Stops refreshing and removes the lock file if it is still this holder's. */
  release(): Promise<void>;
}

export interface FileLockOptions {
  /** A lock not refreshed for this long is a crashed holder's. */
  readonly staleMs: number;
  /** How many times to wait and try again while another holder has the lock. */
  readonly retries: number;
}

export class FileLockError extends Error {
  constructor(
    readonly code: 'ELOCKED' | 'ELOST',
    message: string,
  ) {
    super(message);
    this.name = 'FileLockError';
  }
}

/** The first wait between tries, its growth per try and its ceiling (with jitter). */
const RETRY_MIN_MS = 5;
const RETRY_FACTOR = 1.3;
const RETRY_MAX_MS = 250;

export async function acquireFileLock(
  lockPath: string,
  options: FileLockOptions,
): Promise<HeldFileLock> {
  for (let attempt = 0; ; attempt++) {
    const held = await tryCreate(lockPath, options.staleMs);
    if (held !== undefined) return held;
    if (await removeIfStale(lockPath, options.staleMs)) continue;
    if (attempt >= options.retries)
      throw new FileLockError('ELOCKED', `${lockPath} is held by another process`);
    const wait = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * RETRY_FACTOR ** attempt);
    await sleep(wait * (1 + Math.random()));
  }
}

/** Creates the lock file, or returns undefined if it exists. */
async function tryCreate(lockPath: string, staleMs: number): Promise<HeldFileLock | undefined> {
  let handle;
  try {
    handle = await open(
      lockPath,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  // The token tells this holder's file from a later one (an inode number can be reused at once).
  const holder = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    token: randomBytes(16).toString('hex'),
  };
  const text = `${JSON.stringify(holder)}\n`;
  try {
    await handle.writeFile(text);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(lockPath).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return holdLock(lockPath, text, staleMs);
}

function holdLock(lockPath: string, text: string, staleMs: number): HeldFileLock {
  let lost = false;
  const isOurs = async (): Promise<boolean> =>
    (await readLockFile(lockPath).catch(() => undefined)) === text;
  // A refresh keeps a long append from looking crashed; unref'd, it never holds the process open.
  const refresh = setInterval(() => {
    void isOurs().then(async (ours) => {
      if (!ours) lost = true;
      else {
        const now = new Date();
        await utimes(lockPath, now, now).catch(() => (lost = true));
      }
    });
  }, staleMs / 2);
  refresh.unref();
  return {
    async assertHeld() {
      if (lost || !(await isOurs()))
        throw new FileLockError(
          'ELOST',
          `${lockPath} was taken over by another process (it looked stale)`,
        );
    },
    async release() {
      clearInterval(refresh);
      if (await isOurs()) await unlink(lockPath).catch(() => undefined);
    },
  };
}

/** The lock file's text, never through a symbolic link. */
function readLockFile(lockPath: string): Promise<string> {
  return readFile(lockPath, { encoding: 'utf8', flag: constants.O_RDONLY | constants.O_NOFOLLOW });
}

/**
 * Removes a crashed holder's lock: not refreshed for `staleMs`, or its holder on this host is
 * gone. Renamed away first, so of two waiters only one removes it. Also removes a stale lock
 * directory that an earlier version of the tools (which locked with mkdir) left behind.
 */
async function removeIfStale(lockPath: string, staleMs: number): Promise<boolean> {
  const stats = await lstat(lockPath).catch(() => undefined);
  if (stats === undefined) return true; // released meanwhile: try again at once
  const old = Date.now() - stats.mtimeMs > staleMs;
  if (!old && !(stats.isFile() && (await holderIsGone(lockPath)))) return false;
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true; // another waiter did
    throw error;
  }
  await (stats.isDirectory() ? rmdir(aside) : unlink(aside)).catch(() => undefined);
  return true;
}

/** True if the lock names a process of this host that no longer runs. */
async function holderIsGone(lockPath: string): Promise<boolean> {
  let holder: { pid?: unknown; host?: unknown };
  try {
    holder = JSON.parse(await readLockFile(lockPath)) as typeof holder;
  } catch {
    return false; // being written, or not ours to judge: the mtime decides
  }
  if (holder.host !== hostname() || !Number.isSafeInteger(holder.pid)) return false;
  try {
    process.kill(holder.pid as number, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
