import yargs, { type Argv } from 'yargs';
import { ByokError, formatErrorLines } from '@byok-ceremony/shared';
import { skipHelpCache } from './skip-help-cache.js';
import { usageErrorOf } from './usage-error.js';
import type { CliDeps } from './deps.js';

/** Adds one command to the tool; each lives in its own file under the tool's src/cli/. */
export type CommandRegistrar<D extends CliDeps> = (cli: Argv, deps: D) => Argv;

export interface CliSpec<D extends CliDeps> {
  /** The program name in usage, errors and hints, e.g. `byok-offline`. */
  readonly tool: string;
  readonly version: string;
  /** In the order `--help` lists them. */
  readonly commands: readonly CommandRegistrar<D>[];
  /** Options every command of the tool takes, added before the commands. */
  readonly globalOptions?: (cli: Argv) => Argv;
}

/** Runs one invocation and returns the exit code; never throws and never prints a stack unless --debug. */
export type CliMain<D extends CliDeps> = (argv: readonly string[], deps: D) => Promise<number>;

/** Usage errors exit 2; logs that verify but rest on no anchor exit 3 (UNANCHORED); others 1. */
function exitCodeOf(error: unknown): number {
  if (!(error instanceof ByokError)) return 1;
  return error.code === 'ERR_USAGE' ? 2 : error.code === 'ERR_AUDIT_UNANCHORED' ? 3 : 1;
}

/** The `main(argv, deps)` of a ceremony CLI: see exitCodeOf for the exit codes. */
export function createCliMain<D extends CliDeps>(spec: CliSpec<D>): CliMain<D> {
  const { tool } = spec;
  return async (argv, deps) => {
    const debug = argv.includes('--debug');
    let cli: Argv = yargs([...argv])
      .scriptName(tool)
      .version(spec.version)
      .strict()
      .exitProcess(false)
      .wrap(Math.min(100, process.stdout.columns || 100))
      .option('debug', {
        type: 'boolean',
        default: false,
        describe: 'Print stack traces on errors',
      })
      .demandCommand(1, 'Name a command.')
      // yargs' own English texts, whatever LANG says: usageErrorOf rewords them.
      .locale('en')
      .fail((message: string | undefined, error: Error | undefined) => {
        if (error !== undefined) throw error;
        throw usageErrorOf(message, tool);
      });
    skipHelpCache(cli);
    if (spec.globalOptions !== undefined) cli = spec.globalOptions(cli);
    // The lines a command leaves for its end (the log head code) come after all it printed.
    const last: string[] = [];
    const sayLast = (text: string): void => {
      last.push(text);
    };
    const printLast = (): void => {
      for (const text of last.splice(0)) deps.stderr(text);
    };
    for (const register of spec.commands) cli = register(cli, { ...deps, sayLast });
    try {
      let helpOutput = '';
      await cli.parseAsync([...argv], {}, (_error, _args, output) => {
        helpOutput = output;
      });
      printLast();
      if (helpOutput !== '') deps.stdout(`${helpOutput}\n`);
      return 0;
    } catch (error) {
      printLast();
      for (const line of formatErrorLines(tool, error, debug)) deps.stderr(`${line}\n`);
      return exitCodeOf(error);
    }
  };
}
