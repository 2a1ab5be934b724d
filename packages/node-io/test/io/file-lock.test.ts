import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireFileLock } from '../../src/io/file-lock.js';

const OPTIONS = { staleMs: 10_000, retries: 3 };

function lockPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'byok-lock-')), 'audit.jsonl.lock');
}

/** A pid that ran on this host and no longer runs. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function backdate(path: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  utimesSync(path, then, then);
}

describe('acquireFileLock', () => {
  it('creates the lock file with its holder, and removes it on release', async () => {
    const path = lockPath();
    const lock = await acquireFileLock(path, OPTIONS);
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
    expect(typeof holder.started).toBe('string');
    await lock.assertHeld();
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a lock held by a running process (ELOCKED) and leaves it in place', async () => {
    const path = lockPath();
    const held = await acquireFileLock(path, OPTIONS);
    await expect(acquireFileLock(path, OPTIONS)).rejects.toMatchObject({ code: 'ELOCKED' });
    await held.assertHeld();
    await held.release();
  });

  it('waits for a holder that releases, then takes the lock', async () => {
    const path = lockPath();
    const held = await acquireFileLock(path, OPTIONS);
    const waiting = acquireFileLock(path, { ...OPTIONS, retries: 200 });
    await held.release();
    const next = await waiting;
    await next.assertHeld();
    await next.release();
  });

  it('takes over a lock not refreshed for longer than staleMs', async () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify({ pid: process.pid, host: 'elsewhere', started: '' }));
    backdate(path, 20_000);
    const lock = await acquireFileLock(path, OPTIONS);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over at once a fresh lock whose holder on this host no longer runs', async () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify({ pid: deadPid(), host: hostname(), started: '' }));
    const lock = await acquireFileLock(path, OPTIONS);
    await lock.release();
  });

  it('does not judge a fresh lock of another host by its pid', async () => {
    const path = lockPath();
    writeFileSync(
      path,
      JSON.stringify({ pid: deadPid(), host: `${hostname()}-other`, started: '' }),
    );
    await expect(acquireFileLock(path, OPTIONS)).rejects.toMatchObject({ code: 'ELOCKED' });
  });

  it('removes a stale lock directory left by the earlier mkdir lock', async () => {
    const path = lockPath();
    mkdirSync(path);
    backdate(path, 20_000);
    const lock = await acquireFileLock(path, OPTIONS);
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('tells a holder whose lock was taken over, and its release leaves the new lock alone', async () => {
    const path = lockPath();
    const lock = await acquireFileLock(path, OPTIONS);
    await unlink(path);
    await writeFile(path, 'another holder');
    await expect(lock.assertHeld()).rejects.toMatchObject({ code: 'ELOST' });
    await lock.release();
    expect(readFileSync(path, 'utf8')).toBe('another holder');
  });
});
