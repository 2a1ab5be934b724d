#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { ByokError } from '@byok-ceremony/shared';
import {
  DEFAULT_ACCOUNT,
  DEFAULT_POOL_SIZE,
  DEFAULT_REGION,
  REHEARSAL_CREDENTIALS,
  isLoopbackHost,
  startKmsSim,
} from '../index.js';
import type { Credentials, KmsSimOptions } from '../index.js';
import { MAX_CLOCK_OFFSET_SECONDS } from '../index.js';

export interface MainDeps {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: () => Promise<string>;
}

class UsageError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

function parseCredential(text: string): Credentials {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new UsageError(
      `--credentials '${text.split(':')[0] ?? ''}:…' is not ID:SECRET`,
      'give --credentials ACCESS_KEY_ID:SECRET_ACCESS_KEY, once per accepted key',
    );
  }
  return { accessKeyId: text.slice(0, colon), secretAccessKey: text.slice(colon + 1) };
}

/** byok-kms-sim: parse flags, start the simulator, print its URL, stop on a signal. */
export async function main(argv: string[], deps: MainDeps): Promise<number> {
  let options: KmsSimOptions;
  try {
    const args = await yargs(argv)
      .scriptName('byok-kms-sim')
      .usage('$0 [options]\n\nAn AWS KMS-compatible server for key-ceremony rehearsals and tests.')
      .option('host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'Address to bind (loopback unless told otherwise)',
      })
      .option('port', { type: 'number', default: 4599, describe: 'Port; 0 picks a free one' })
      .option('region', {
        type: 'string',
        default: DEFAULT_REGION,
        describe: 'Region of the keys and of the SigV4 scope',
      })
      .option('account', {
        type: 'string',
        default: DEFAULT_ACCOUNT,
        describe: 'Account id in ARNs',
      })
      .option('credentials', {
        type: 'string',
        array: true,
        describe: `Accepted ID:SECRET (repeatable); default ${REHEARSAL_CREDENTIALS.accessKeyId}:${REHEARSAL_CREDENTIALS.secretAccessKey}`,
      })
      .option('clock-offset', {
        type: 'number',
        default: 0,
        describe: 'Start the simulated clock this many seconds ahead',
      })
      .option('state-file', {
        type: 'string',
        describe: 'Persist state here (root key in FILE.key, mode 0600)',
      })
      .option('faults', {
        type: 'string',
        describe: 'Inject faults, e.g. throttle=0.1,internal=0.05,reset=0.02,latency=50ms',
      })
      .option('seed', { type: 'number', describe: 'Seed for fault injection, so runs repeat' })
      .option('verbose', {
        type: 'boolean',
        default: false,
        describe: 'Print one line per request',
      })
      .option('wrapping-key-pool', {
        type: 'boolean',
        default: true,
        describe: 'Keep RSA wrapping keys ready in the background',
      })
      .option('wrapping-key-pool-size', {
        type: 'number',
        default: DEFAULT_POOL_SIZE,
        describe: 'Most wrapping keys kept ready per size; generated one per core',
      })
      .option('wrapping-key-pool-file', {
        type: 'string',
        describe: 'Serve these (test-only, public) wrapping keys first, each once',
      })
      .option('request-log', {
        type: 'string',
        describe: 'Append one JSON line per request to FILE',
      })
      .strict()
      .version(false)
      .help()
      .exitProcess(false)
      .fail((message: string | null, error: Error | undefined) => {
        throw new UsageError(
          message ?? error?.message ?? 'invalid arguments',
          'run byok-kms-sim --help',
        );
      })
      .parseAsync();
    if (args.help === true) return 0;
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
      throw new UsageError(
        `--port ${args.port} is not a port`,
        'give a port from 0 to 65535; 0 picks a free one',
      );
    }
    const poolSize = args['wrapping-key-pool-size'];
    if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1024) {
      throw new UsageError(
        `--wrapping-key-pool-size ${poolSize} is not a pool size`,
        'give a whole number from 1 to 1024',
      );
    }
    const offset = args['clock-offset'];
    if (!Number.isFinite(offset) || offset < 0 || offset > MAX_CLOCK_OFFSET_SECONDS) {
      throw new UsageError(
        `--clock-offset ${offset} is not a number of seconds from 0 to ${MAX_CLOCK_OFFSET_SECONDS}`,
        'the simulated clock starts at or ahead of real time, at most 100 years ahead',
      );
    }
    if (args.seed !== undefined && !Number.isInteger(args.seed)) {
      throw new UsageError(`--seed ${args.seed} is not an integer`, 'give --seed a whole number');
    }
    options = {
      host: args.host,
      port: args.port,
      region: args.region,
      account: args.account,
      clockOffsetSeconds: args['clock-offset'],
      wrappingKeyPool: args['wrapping-key-pool'],
      wrappingKeyPoolSize: poolSize,
      ...(args['wrapping-key-pool-file'] === undefined
        ? {}
        : { wrappingKeyPoolFile: args['wrapping-key-pool-file'] }),
      ...(args['request-log'] === undefined ? {} : { requestLog: args['request-log'] }),
      ...(args.credentials === undefined
        ? {}
        : { credentials: args.credentials.map(String).map(parseCredential) }),
      ...(args['state-file'] === undefined ? {} : { stateFile: args['state-file'] }),
      ...(args.faults === undefined ? {} : { faults: args.faults }),
      ...(args.seed === undefined ? {} : { seed: args.seed }),
      ...(args.verbose
        ? {
            verbose: (line: string) => {
              deps.stdout(line);
            },
          }
        : {}),
    };
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

function fail(deps: MainDeps, error: unknown, options?: KmsSimOptions): number {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const port = options?.port ?? 4599;
  const host = options?.host ?? '127.0.0.1';
  let text = message;
  let hint: string;
  if (error instanceof UsageError) {
    hint = error.hint;
  } else if (error instanceof ByokError) {
    hint = error.hint ?? 'check the options with byok-kms-sim --help';
  } else if (code === 'EADDRINUSE') {
    text = `port ${port} on ${host} is in use by another process`;
    hint = 'stop the other process, or pick another port with --port, or --port 0 for a free one';
  } else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    text = `cannot bind to ${host}: it is not an address of this machine`;
    hint =
      'give --host an address of this machine; the default 127.0.0.1 keeps the simulator local';
  } else if (code === 'EACCES') {
    text = `not allowed to listen on port ${port}`;
    hint = 'ports below 1024 need privileges: pick another with --port';
  } else if (error instanceof Error && error.name === 'FaultSyntaxError') {
    hint = '--faults takes throttle=P,internal=P,reset=P,latency=50ms with P between 0 and 1';
  } else if (code !== undefined) {
    hint = 'check the file paths given to --state-file, --request-log and --wrapping-key-pool-file';
  } else {
    hint = 'check the options with byok-kms-sim --help';
  }
  deps.stderr(`byok-kms-sim: error: ${text}`);
  deps.stderr(`byok-kms-sim: hint: ${hint}`);
  return 2;
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
