import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process still runs the shell script at `script` (its command line names it). */
function runsScript(script: string): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(script)) return true;
    } catch {
      // The process ended while the folder was read.
    }
  }
  return false;
}

/**
 * A stand-in ffmpeg (a shell script that writes its pid to `pidFile`, then execs a long sleep)
 * was stopped: the pid it wrote is gone, or, when it was stopped before it wrote one (a loaded
 * machine can hold a shell back past a 1 s camera timeout), no process runs its script.
 * A stopped process is gone at once; the bound is only so that a tool that never stops it fails
 * the test rather than hangs it, and is far above what load can delay.
 */
export async function expectStandInStopped(pidFile: string, script: string): Promise<void> {
  await expect
    .poll(
      () =>
        existsSync(pidFile) ? isAlive(Number(readFileSync(pidFile, 'utf8'))) : runsScript(script),
      { timeout: 120_000, interval: 50 },
    )
    .toBe(false);
}
