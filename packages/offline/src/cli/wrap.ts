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
import { parseOperators, withCeremonyOptions } from './ceremony-options.js';
import { runWrapBundle } from './wrap-bundle.js';
import { runWrapRaw } from './wrap-raw.js';

/**
 * The answer goes back at `high` by default: a one-key RSA_4096 wrapped bundle (794 compact
 * bytes) is then one frame, which the online machine's camera reads at once (docs/qr-format.md).
 */
const WRAPPED_QR_DENSITY: QrDensity = 'high';

const RAW_ONLY = ['public-key', 'wrapping-algorithm', 'key-spec', 'wrapping-key-spec'] as const;

function usage(message: string, hint: string): ByokError {
  return new ByokError('ERR_USAGE', message, { hint });
}

/** `wrap`: bundle mode (--request) for the ceremony, raw mode (--public-key) for the seed's step 7. */
export function wrapCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'wrap',
    'Generate or load key material and wrap it for KMS import',
    (y) =>
      withQrShowOptions(withCeremonyOptions(y), WRAPPED_QR_DENSITY)
        .option('request', {
          type: 'string',
          describe: 'Import request written by byok-online prepare',
        })
        .option('out', {
          type: 'string',
          describe: 'Output: wrapped-key bundle (or raw blob in raw mode)',
        })
        .option('material-file', {
          type: 'string',
          describe:
            'Existing material (raw bytes, or a PKCS#8 private key) instead of generating it',
        })
        .option('backup', {
          type: 'boolean',
          default: true,
          describe:
            'Pass --no-backup to wrap generated material that will exist nowhere but in KMS',
        })
        .option('public-key', {
          type: 'string',
          describe: 'Raw mode: DER wrapping public key (PublicKey.bin)',
        })
        .option('wrapping-algorithm', {
          type: 'string',
          choices: WRAPPING_ALGORITHMS,
          describe: 'Raw mode: the wrapping algorithm of the import parameters',
        })
        .option('key-spec', {
          type: 'string',
          choices: KEY_SPECS,
          describe: 'Raw mode: key spec of the material (default SYMMETRIC_DEFAULT)',
        })
        .option('operator-key', {
          type: 'string',
          array: true,
          default: [] as string[],
          describe:
            'Operator key files (operator keygen), in --operator order: each operator signs the log entry',
        })
        .option('passphrase-file', {
          type: 'string',
          array: true,
          default: [] as string[],
          describe:
            'Scripted runs: one passphrase file per --operator-key (else asked on the terminal)',
        })
        .option('wrapping-key-spec', {
          type: 'string',
          choices: WRAPPING_KEY_SPECS,
          describe: "Raw mode: declared wrapping key spec (default: the public key's size)",
        }),
    async (argv) => {
      const path = (p: string): string => resolve(deps.cwd, p);
      const operators = parseOperators(argv.operator);
      const qr = qrShowFlagsOf(argv, deps.cwd, WRAPPED_QR_DENSITY);
      const common = {
        operators,
        checkCodes: argv['check-code'],
        singleOperator: argv['single-operator'],
        auditLog: path(argv['audit-log']),
        json: argv.json,
      };
      if (argv.request !== undefined && argv['public-key'] !== undefined) {
        throw usage(
          '--request cannot be used with --public-key',
          'Use --request for the ceremony bundle, or --public-key alone for a raw blob (the seed procedure).',
        );
      }
      if (argv.request !== undefined) {
        const raw = RAW_ONLY.find((flag) => argv[flag] !== undefined);
        if (raw !== undefined) {
          throw usage(
            `--${raw} cannot be used with --request`,
            'The import request names each key spec, algorithm and wrapping key; drop the flag.',
          );
        }
        if (argv.out === undefined)
          throw usage(
            'wrap needs --out',
            'Name the wrapped-key bundle to write: --out wrapped.json.',
          );
        assertOperatorKeyFlags(argv['operator-key'], argv['passphrase-file'], operators);
        const signers = await unlockOperatorKeys(
          argv['operator-key'].map(path),
          argv['passphrase-file'].map(path),
          operators,
          deps,
        );
        await runWrapBundle(
          {
            ...common,
            signers,
            request: path(argv.request),
            out: path(argv.out),
            materialFile:
              argv['material-file'] === undefined ? undefined : path(argv['material-file']),
            noBackup: !argv.backup,
            qr,
          },
          deps,
        );
        return;
      }
      if (argv['public-key'] === undefined) {
        throw usage(
          'wrap needs --request (ceremony) or --public-key (raw mode)',
          'byok-offline wrap --request request.json --out wrapped.json --operator A --operator B, or see byok-offline wrap --help.',
        );
      }
      if (argv['operator-key'].length > 0 || argv['passphrase-file'].length > 0) {
        throw usage(
          '--operator-key cannot be used with --public-key',
          'Raw mode has no check code to confirm; operator keys sign the entries of bundle mode (--request).',
        );
      }
      if (qr !== undefined) {
        throw usage(
          '--qr and --qr-terminal cannot be used with --public-key',
          'Raw mode writes a blob for the AWS CLI, not a bundle; use --request for a wrapped bundle the QR codes can carry.',
        );
      }
      if (argv['check-code'].length > 0) {
        throw usage(
          '--check-code cannot be used with --public-key',
          'Raw mode has no bundle and no check code; use --request for a confirmed ceremony.',
        );
      }
      if (!argv.backup) {
        throw usage(
          '--no-backup cannot be used with --public-key',
          'Raw mode wraps the --material-file you keep; drop --no-backup.',
        );
      }
      if (argv['wrapping-algorithm'] === undefined) {
        throw usage(
          'raw mode needs --wrapping-algorithm',
          'Give the algorithm the import parameters were requested for, e.g. --wrapping-algorithm RSAES_OAEP_SHA_256.',
        );
      }
      if (argv['material-file'] === undefined) {
        throw usage(
          'raw mode needs --material-file',
          'Raw mode wraps material you keep: --material-file PlaintextKeyMaterial.bin (openssl rand -out PlaintextKeyMaterial.bin 32).',
        );
      }
      if (argv.out === undefined)
        throw usage('wrap needs --out', 'Name the blob to write: --out EncryptedKeyMaterial.bin.');
      await runWrapRaw(
        {
          ...common,
          publicKey: path(argv['public-key']),
          wrappingAlgorithm: argv['wrapping-algorithm'],
          keySpec: argv['key-spec'] ?? 'SYMMETRIC_DEFAULT',
          wrappingKeySpec: argv['wrapping-key-spec'],
          materialFile: path(argv['material-file']),
          out: path(argv.out),
        },
        deps,
      );
    },
  );
}
