import type { Argv } from 'yargs';
import type { CliDeps } from '@byok-ceremony/node-io';
import { describeOwnFile, type BuildKind } from '../io/own-file.js';
import { TOOL, TOOL_VERSION } from './tool.js';

const WHAT_WAS_HASHED: Record<BuildKind, string> = {
  'single-file': 'this single-file build',
  sea: 'this executable',
  development: "the development build's entry file (its other files are not covered)",
};

/** `version`: what operators compare with the SHA-256 the build printed, before the ceremony. */
export function versionCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'version',
    'Show the version and the SHA-256 and code of this very file, to compare with the build',
    (y) =>
      y.option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print one JSON object on stdout',
      }),
    async (argv) => {
      const own = await describeOwnFile();
      if (argv.json) {
        deps.stdout(`${JSON.stringify({ tool: TOOL, version: TOOL_VERSION, ...own })}\n`);
        return;
      }
      deps.stdout(
        [
          `${TOOL} ${TOOL_VERSION}`,
          `File:    ${own.path} (${WHAT_WAS_HASHED[own.kind]})`,
          `SHA-256: ${own.sha256}`,
          `Code:    ${own.code}`,
          '',
        ].join('\n'),
      );
    },
  );
}
