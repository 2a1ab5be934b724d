import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

export interface NetworkTrace {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Every network system call of the process and its children, as strace printed it. */
  readonly calls: readonly string[];
  /** The address families of every socket() and socketpair() call, e.g. `AF_UNIX`. */
  readonly families: readonly string[];
  /** The calls that name an Internet address family (AF_INET or AF_INET6): must be none. */
  readonly internetCalls: readonly string[];
}

export interface TraceOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Run the command with a pseudo-terminal as stdin, stdout and stderr (through `script`), as an
   * operator's shell would; otherwise stdin is /dev/null and stdout/stderr are files.
   */
  readonly tty?: boolean;
}

/** Whether strace can trace here (installed, and ptrace allowed). */
export function straceAvailable(): boolean {
  return spawnSync('strace', ['-f', '-qq', '-e', 'trace=none', 'true']).status === 0;
}

const shellQuote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

/**
 * Runs `command args` under `strace -f -e trace=network` and returns its output and every
 * network call of it and its children. stdout and stderr go to files, not pipes: a pipe to the
 * parent would be one more socket to explain. AF_UNIX sockets are local IPC (Node's child_process
 * and terminal plumbing), not network; any AF_INET or AF_INET6 call is.
 */
export function traceNetwork(
  command: string,
  args: readonly string[],
  options: TraceOptions,
): NetworkTrace {
  const work = mkdtempSync(join(tmpdir(), 'byok-strace-'));
  const tracePath = join(work, 'trace.txt');
  const outPath = join(work, 'stdout');
  const errPath = join(work, 'stderr');
  const out = openSync(outPath, 'w');
  const err = openSync(errPath, 'w');
  try {
    const traced = options.tty
      ? ['script', '-qec', [command, ...args].map(shellQuote).join(' '), '/dev/null']
      : [command, ...args];
    const result = spawnSync(
      'strace',
      ['-f', '-qq', '-e', 'trace=network', '-o', tracePath, '--', ...traced],
      {
        cwd: options.cwd,
        stdio: ['ignore', out, err],
        env: { PATH: process.env['PATH'] ?? '', ...options.env },
      },
    );
    if (result.error !== undefined) throw result.error;
    const calls = readFileSync(tracePath, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^\d+\s+\+\+\+ exited/.test(line));
    const families = calls.flatMap((line) => {
      const match = /\bsocket(?:pair)?\((AF_\w+|\d+)/.exec(line);
      return match === null ? [] : [match[1]!];
    });
    return {
      code: result.status,
      stdout: readFileSync(outPath, 'utf8'),
      stderr: readFileSync(errPath, 'utf8'),
      calls,
      families,
      // By name, or by number (2 and 10 on Linux) should strace not decode it.
      internetCalls: calls.filter(
        (line) => /\b(AF|PF)_INET6?\b/.test(line) || /\bsocket(?:pair)?\((2|10),/.test(line),
      ),
    };
  } finally {
    closeSync(out);
    closeSync(err);
    rmSync(work, { recursive: true, force: true });
  }
}

/** A command that succeeded and opened no socket but local IPC (today: none at all). */
export function expectNoNetwork(trace: NetworkTrace): void {
  expect(trace.stderr).not.toContain('error:');
  expect(trace.code).toBe(0);
  expect(trace.internetCalls).toEqual([]);
  expect(trace.families.filter((family) => family !== 'AF_UNIX')).toEqual([]);
}
