import yargs from 'yargs';
import type { InferredOptionTypes } from 'yargs';
import { FLAGS } from './flags.js';
import { MAX_CLOCK_OFFSET_SECONDS } from '../state/clock.js';
import type { KmsSimOptions } from '../index.js';
import { UsageError, parseCredential } from './usage-error.js';

/** The simulator's flags as its options; undefined when only --help was asked for. */
export async function parseSimOptions(
  argv: string[],
  stdout: (line: string) => void,
): Promise<KmsSimOptions | undefined> {
  const args = await yargs(argv)
    .scriptName('byok-kms-sim')
    .usage('$0 [options]\n\nAn AWS KMS-compatible server for key-ceremony rehearsals and tests.')
    .options(FLAGS)
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
  if (args.help === true) return undefined;
  checkNumbers(args);
  return optionsOf(args, stdout);
}

type ParsedFlags = InferredOptionTypes<typeof FLAGS>;

/** Refuses the numbers yargs accepts as numbers but the simulator cannot use. */
function checkNumbers(args: ParsedFlags): void {
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
}

/** The flags as startKmsSim's options: the ones given, and the defaults yargs filled in. */
function optionsOf(args: ParsedFlags, stdout: (line: string) => void): KmsSimOptions {
  return {
    host: args.host,
    port: args.port,
    region: args.region,
    otherRegions: (args['other-region'] ?? []).map(String),
    account: args.account,
    clockOffsetSeconds: args['clock-offset'],
    wrappingKeyPool: args['wrapping-key-pool'],
    wrappingKeyPoolSize: args['wrapping-key-pool-size'],
    ...(args['wrapping-key-pool-file'] === undefined
      ? {}
      : { wrappingKeyPoolFile: args['wrapping-key-pool-file'] }),
    wrappingKeyPoolFileReuse: args['wrapping-key-pool-file-reuse'],
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
            stdout(line);
          },
        }
      : {}),
  };
}
