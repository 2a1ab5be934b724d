import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import {
  ByokError,
  assertImportRequestBundle,
  assertWrappedKeyBundle,
} from '@byok-ceremony/shared';
import { parseJsonFile, readInputFile, type CliDeps } from '@byok-ceremony/node-io';
import { describeRequest } from '../ops/describe-request.js';
import { describeWrapped } from '../ops/describe-wrapped.js';
import { formatRequestSummary, formatWrappedSummary } from './format-summary.js';

const INSPECT_CHECK_CODE_LINE =
  'Check code: read it off the online screen (byok-online prepare); byok-offline wrap asks each operator for it';

/** `inspect`: read-only, so it writes no audit entry. */
export function inspectCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'inspect',
    'Validate and show an import request (or a wrapped-key bundle); never its check code',
    (y) =>
      y
        .option('request', {
          type: 'string',
          describe: 'Import request written by byok-online prepare',
        })
        .option('wrapped', {
          type: 'string',
          describe: 'Wrapped-key bundle written by byok-offline wrap',
        })
        .option('json', {
          type: 'boolean',
          default: false,
          describe: 'Print one JSON object on stdout',
        }),
    async (argv) => {
      if ((argv.request === undefined) === (argv.wrapped === undefined)) {
        throw new ByokError('ERR_USAGE', 'inspect takes exactly one of --request and --wrapped', {
          hint: 'byok-offline inspect --request request.json, or --wrapped wrapped.json.',
        });
      }
      if (argv.request !== undefined) {
        const path = resolve(deps.cwd, argv.request);
        const request = parseJsonFile(
          await readInputFile(path, 'import request'),
          path,
          'import request',
        );
        assertImportRequestBundle(request);
        const summary = describeRequest(request, deps.now());
        deps.stdout(
          argv.json
            ? `${JSON.stringify(summary)}\n`
            : `${formatRequestSummary(summary, INSPECT_CHECK_CODE_LINE).join('\n')}\n`,
        );
      } else if (argv.wrapped !== undefined) {
        const path = resolve(deps.cwd, argv.wrapped);
        const bundle = parseJsonFile(
          await readInputFile(path, 'wrapped-key bundle'),
          path,
          'wrapped-key bundle',
        );
        assertWrappedKeyBundle(bundle);
        const summary = describeWrapped(bundle);
        deps.stdout(
          argv.json
            ? `${JSON.stringify(summary)}\n`
            : `${formatWrappedSummary(summary).join('\n')}\n`,
        );
      }
    },
  );
}
