import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import {
  ByokError,
  KEY_SPECS,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  type QrDensity,
} from '@byok-ceremony/shared';
import {
  assertOperatorKeyFlags,
  qrShowFlagsOf,
  unlockOperatorKeys,
  withQrShowOptions,
  type CliDeps,
} from '@byok-ceremony/node-io';
import { assertSelfTestPasses } from '../ops/self-test/run-self-test.js';
import { parseOperators, withCeremonyOptions } from './ceremony-options.js';
import { withHsmOption, wrapMaterialOf } from './hsm-flags.js';
import { withMaterialOptions } from './material-options.js';
import { withOperatorKeyOptions } from './operator-key-options.js';
import { runWrapBundle } from './wrap-bundle.js';
import { RAW_ONLY, runWrapRaw, wrapRawCommand } from './wrap-raw.js';

/** At `high`, a one-key RSA_4096 wrapped bundle is one QR frame (docs/qr-format.md). */
const WRAPPED_QR_DENSITY: QrDensity = 'high';

/** What only bundle mode takes: refused with raw mode's --public-key. */
const BUNDLE_ONLY = [
  'request',
  'check-code',
  'operator-key',
  'passphrase-file',
  'qr',
  'qr-terminal',
  'qr-density',
  'backup',
  'backup-dir',
  'backup-passphrase-file',
  'material-set',
  'components',
  'component-file',
  'hsm',
];

function usage(message: string, hint: string): ByokError {
  return new ByokError('ERR_USAGE', message, { hint });
}

function withWrapOptions(y: Argv, deps: CliDeps) {
  return withOperatorKeyOptions(
    wrapRawCommand(
      withHsmOption(
        withMaterialOptions(withQrShowOptions(withCeremonyOptions(y), WRAPPED_QR_DENSITY)),
      ),
      deps,
    )
      .option('request', {
        type: 'string',
        describe: 'Import request written by byok-online prepare',
      })
      .option('out', {
        type: 'string',
        describe: 'Output: wrapped-key bundle (or raw blob in raw mode)',
      })
      .option('public-key', {
        type: 'string',
        describe: 'wrap raw: DER wrapping public key (PublicKey.bin)',
      })
      .option('console-zip', {
        type: 'string',
        describe: "wrap raw: the AWS console's import-parameters zip instead of --public-key",
      })
      .option('wrapping-algorithm', {
        type: 'string',
        choices: WRAPPING_ALGORITHMS,
        describe: 'wrap raw: the wrapping algorithm of the import parameters',
      })
      .option('key-spec', {
        type: 'string',
        choices: KEY_SPECS,
        describe: 'wrap raw: key spec of the material (default SYMMETRIC_DEFAULT)',
      })
      .option('wrapping-key-spec', {
        type: 'string',
        choices: WRAPPING_KEY_SPECS,
        describe: "wrap raw: declared wrapping key spec (default: the public key's size)",
      }),
  )
    .conflicts('public-key', [...BUNDLE_ONLY, 'console-zip'])
    .conflicts('console-zip', BUNDLE_ONLY)
    .conflicts('request', RAW_ONLY)
    .implies('public-key', ['wrapping-algorithm', 'material-file', 'out'])
    .implies('console-zip', ['wrapping-algorithm', 'material-file', 'out']);
}

type WrapArgs = Awaited<ReturnType<typeof withWrapOptions>['argv']>;

async function runWrap(argv: WrapArgs, deps: CliDeps): Promise<void> {
  if (argv['public-key'] !== undefined || argv['console-zip'] !== undefined) {
    await runWrapRaw(argv, deps);
    return;
  }
  await assertSelfTestPasses();
  const path = (p: string): string => resolve(deps.cwd, p);
  const operators = parseOperators(argv.operator);
  const qr = qrShowFlagsOf(argv, deps.cwd, WRAPPED_QR_DENSITY);
  if (argv.request === undefined)
    throw usage(
      'wrap needs --request (ceremony) or wrap raw (the seed procedure)',
      'byok-offline wrap --request request.json --out wrapped.json --operator A --operator B, or see byok-offline wrap raw --help.',
    );
  if (argv.out === undefined)
    throw usage('wrap needs --out', 'Name the wrapped-key bundle to write: --out wrapped.json.');
  // Checked before any file is opened and before any prompt.
  const materialOfSession = wrapMaterialOf(argv, deps, path);
  const keyFiles = argv['operator-key'] ?? [];
  const passphraseFiles = argv['passphrase-file'] ?? [];
  assertOperatorKeyFlags(keyFiles, passphraseFiles, operators);
  const unlockSigners = () =>
    unlockOperatorKeys(keyFiles.map(path), passphraseFiles.map(path), operators, deps);
  await runWrapBundle(
    {
      operators,
      checkCodes: argv['check-code'] ?? [],
      singleOperator: argv['single-operator'] === true,
      auditLog: path(argv['audit-log']),
      json: argv.json,
      unlockSigners,
      request: path(argv.request),
      out: path(argv.out),
      materialOf: materialOfSession,
      qr,
    },
    deps,
  );
}

/** `wrap`: bundle mode (--request) for the ceremony; `wrap raw` (or --public-key) for the seed's step 7. */
export function wrapCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'wrap',
    'Generate or load key material and wrap it for KMS import (wrap raw: the seed procedure)',
    (y) => withWrapOptions(y, deps),
    (argv) => runWrap(argv, deps),
  );
}
