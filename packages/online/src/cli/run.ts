import yargs, { type Argv } from 'yargs';
import { ByokError, formatErrorLines } from '@byok-ceremony/shared';
import type { CliDeps } from './deps.js';
import { addGlobalOptions } from './global-options.js';

export const TOOL = 'byok-online';
export const TOOL_VERSION = '0.1.0';

/** Registers every command of the tool; each lives in its own file under src/cli/. */
type CommandRegistrar = (cli: Argv, deps: CliDeps) => Argv;
const COMMANDS: CommandRegistrar[] = [];

export function registerCommands(...registrars: CommandRegistrar[]): void {
  COMMANDS.push(...registrars);
}

/** Runs one invocation and returns the exit code; never throws and never prints a stack unless --debug. */
export async function main(argv: readonly string[], deps: CliDeps): Promise<number> {
  const debug = argv.includes('--debug');
  let cli: Argv = yargs([...argv])
    .scriptName(TOOL)
    .version(TOOL_VERSION)
    .strict()
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .option('debug', { type: 'boolean', default: false, describe: 'Print stack traces on errors' })
    .demandCommand(1, 'Name a command.')
    .fail((message: string | undefined, error: Error | undefined) => {
      if (error !== undefined) throw error;
      throw new ByokError('ERR_USAGE', message ?? 'invalid command line', {
        hint: `Run ${TOOL} --help, or ${TOOL} COMMAND --help for a command's options.`,
      });
    });
  cli = addGlobalOptions(cli);
  for (const register of COMMANDS) cli = register(cli, deps);
  try {
    let helpOutput = '';
    await cli.parseAsync([...argv], {}, (_error, _args, output) => {
      helpOutput = output;
    });
    if (helpOutput !== '') deps.stdout(`${helpOutput}\n`);
    return 0;
  } catch (error) {
    for (const line of formatErrorLines(TOOL, error, debug)) deps.stderr(`${line}\n`);
    return error instanceof ByokError && error.code === 'ERR_USAGE' ? 2 : 1;
  }
}
