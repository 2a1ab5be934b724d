#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isLoopbackHost } from '../admin/loopback.js';
import type { KmsSimOptions } from '../index.js';
import { fail } from './failure.js';
import { parseSimOptions } from './options.js';

export interface MainDeps {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: () => Promise<string>;
}

/** byok-kms-sim: parse flags, start the simulator, print its URL, stop on a signal. */
export async function main(argv: string[], deps: MainDeps): Promise<number> {
  let options: KmsSimOptions;
  try {
    const parsed = await parseSimOptions(argv, deps.stdout);
    if (parsed === undefined) return 0;
    options = parsed;
  } catch (error) {
    return fail(deps, error);
  }
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    deps.stderr(
      `byok-kms-sim: warning: --host ${host} is not a loopback address: anyone who can reach it can call every KMS operation with the public rehearsal credentials (create keys, import material, encrypt, decrypt and sign with it), and try the admin endpoints, which then rely on the admin token alone`,
    );
  }
  let sim;
  try {
    // Loaded once the flags are good: --help and usage errors never load the server.
    const { startKmsSim } = await import('../index.js');
    sim = await startKmsSim(options);
  } catch (error) {
    return fail(deps, error, options);
  }
  // Listen for the stop signal before announcing the URL, so a client that stops us at once is heard.
  const stopped = deps.stopSignal();
  deps.stdout(
    `byok-kms-sim listening on ${sim.url} (region ${sim.region}, account ${sim.account})`,
  );
  deps.stdout(
    `byok-kms-sim admin token: ${sim.adminToken} (send "Authorization: Bearer TOKEN" to ${sim.url}/_sim/clock)`,
  );
  await stopped;
  await sim.close();
  return 0;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Runs the simulator as this process: argv, stdout/stderr, Ctrl-C and SIGTERM stop it. */
export function runAsProcess(): void {
  const stopSignal = () =>
    new Promise<string>((resolve) => {
      process.once('SIGINT', () => {
        resolve('SIGINT');
      });
      process.once('SIGTERM', () => {
        resolve('SIGTERM');
      });
    });
  main(process.argv.slice(2), {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    stopSignal,
  }).then(
    (code) => {
      process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(
        `byok-kms-sim: error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}

// `node dist/cli/main.js`; the installed bin calls runAsProcess itself.
if (isEntryPoint()) runAsProcess();
