import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliDeps } from '../../src/cli/deps.js';
import { main } from '../../src/cli/run.js';
import '../../src/cli/commands.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// The bins, as a user runs them: each launches its CLI's bundle (dist/bundle), which is what
// ships; tsc's dist/cli is only the bundle's input, and a package can import differently in each.
export const ONLINE_BIN = fileURLToPath(new URL('../../bin/byok-online.mjs', import.meta.url));
export const OFFLINE_BIN = fileURLToPath(
  new URL('../../../offline/bin/byok-offline.mjs', import.meta.url),
);

/** Runs byok-online in-process through main(argv, deps). */
export async function runOnline(
  argv: readonly string[],
  options: {
    readonly cwd: string;
    readonly env?: Record<string, string | undefined>;
    readonly now?: () => Date;
    readonly interactive?: boolean;
    readonly stdinText?: string;
    readonly deps?: Partial<CliDeps>;
  },
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end(options.stdinText ?? '');
  const deps: CliDeps = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stdin,
    interactive: options.interactive ?? false,
    now: options.now ?? (() => new Date()),
    env: options.env ?? process.env,
    cwd: options.cwd,
    sleep: () => new Promise((done) => setTimeout(done, 5)),
    ...options.deps,
  };
  const code = await main(argv, deps);
  return { code, stdout, stderr };
}

/** Runs a built CLI as a child process. */
export function runChild(
  bin: string,
  argv: readonly string[],
  options: { readonly cwd: string; readonly env: Record<string, string | undefined> },
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...argv], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}
