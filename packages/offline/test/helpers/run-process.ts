import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed bin, which runs the bundle of scripts/build-clis.mjs (built by the test setup). */
export const BIN = fileURLToPath(new URL('../../bin/byok-offline.mjs', import.meta.url));
/** What the tests run: the bin, so they test the bundle that ships, not tsc's input to it. */
export const CLI = BIN;

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The signal that ended the child, SIGKILL when `killAfterMs` ran out (a hang). */
  readonly signal: NodeJS.Signals | null;
}

/**
 * Runs the built byok-offline as a child process in `cwd`. stdout and stderr go to files, not
 * pipes: a piped stdout is a net.Socket in Node, which would hide a real network import.
 * `killAfterMs` is a safety for tests of a hang: the child is killed (SIGKILL, which it cannot
 * ignore) after that generous bound, and its result has no exit code.
 */
export function runProcess(
  args: readonly string[],
  cwd: string,
  nodeOptions: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
  entry: string = CLI,
  killAfterMs?: number,
): ProcessResult {
  const outPath = join(cwd, `.stdout-${process.hrtime.bigint()}`);
  const errPath = `${outPath}.err`;
  const out = openSync(outPath, 'w');
  const err = openSync(errPath, 'w');
  try {
    const result = spawnSync(process.execPath, [...nodeOptions, entry, ...args], {
      cwd,
      stdio: ['ignore', out, err],
      env: { PATH: process.env['PATH'] ?? '', ...env },
      ...(killAfterMs === undefined
        ? {}
        : { timeout: killAfterMs, killSignal: 'SIGKILL' as const }),
    });
    return {
      code: result.status,
      signal: result.signal,
      stdout: readFileSync(outPath, 'utf8'),
      stderr: readFileSync(errPath, 'utf8'),
    };
  } finally {
    closeSync(out);
    closeSync(err);
  }
}
