import type { Argv } from 'yargs';
import type { CliDeps } from '@byok-ceremony/node-io';
import { describeOwnFile, type BuildKind } from '../io/own-file.js';
import { TOOL, TOOL_VERSION } from './tool.js';

const WHAT_WAS_HASHED: Record<BuildKind, string> = {
  'single-file': 'this single-file build',
  sea: 'this executable',
  development: "the development build's entry file (its other files are not covered)",
};

/**
 * The limit of a file that hashes itself: an altered file prints what its author chose, so the
 * operators verify the file with the operating system's sha256sum (docs/airgap.md, Verify).
 */
const ONLY_ACCIDENTS =
  "This is the file's own account of itself: it catches accidental damage only. A file altered on its way here can print the expected value; verify it with this machine's sha256sum, not with this command (docs/airgap.md, Verify).";

/** `version`: the version and the SHA-256 of the running file, a check for accidental damage. */
export function versionCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'version',
    'Show the version and the SHA-256 of this file as it runs: catches accidental damage only, not a file altered in transit (verify that with sha256sum)',
    (y) =>
      y.option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print one JSON object on stdout',
      }),
    async (argv) => {
      const own = await describeOwnFile();
      if (argv.json) {
        deps.stdout(
          `${JSON.stringify({ tool: TOOL, version: TOOL_VERSION, ...own, attests: 'accidental damage only' })}\n`,
        );
        return;
      }
      deps.stdout(
        [
          `${TOOL} ${TOOL_VERSION}`,
          `File:       ${own.path} (${WHAT_WAS_HASHED[own.kind]})`,
          `SHA-256:    ${own.sha256}`,
          `Read aloud: ${own.readAloud}`,
          ONLY_ACCIDENTS,
          '',
        ].join('\n'),
      );
    },
  );
}
