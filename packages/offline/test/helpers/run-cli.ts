import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/run.js';
import '../../src/cli/commands.js';
import { NOW } from './request-fixture.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'byok-offline-test-'));
}

/** Runs byok-offline in-process in `cwd`, with a fixed clock and no terminal unless `stdinLines`. */
export async function runCli(
  argv: readonly string[],
  cwd: string,
  options: { stdinLines?: readonly string[]; now?: Date } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stdin: Readable.from((options.stdinLines ?? []).map((line) => `${line}\n`)),
    interactive: options.stdinLines !== undefined,
    now: () => options.now ?? NOW,
    env: {},
    cwd,
  });
  return { code, stdout, stderr };
}
