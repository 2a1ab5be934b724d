import type { Argv } from 'yargs';
import {
  KEY_SPECS,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  type QrDensity,
} from '@byok-ceremony/shared';
import { withQrShowOptions, type CliDeps } from '@byok-ceremony/node-io';
import { withCeremonyOptions } from './ceremony-options.js';
import { withHsmOption } from './hsm-flags.js';
import { withMaterialOptions } from './material-options.js';
import { withOperatorKeyOptions } from './operator-key-options.js';
import { RAW_ONLY, wrapRawCommand } from './wrap-raw.js';

/** At `high`, a one-key RSA_4096 wrapped bundle is one QR frame (docs/qr-format.md). */
export const WRAPPED_QR_DENSITY: QrDensity = 'high';

/** What only bundle mode takes: refused with raw mode's --public-key. */
const BUNDLE_ONLY = [
  'request',
  'plan',
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

/** wrap's options: bundle mode (--request, --plan) and raw mode (wrap raw, --public-key). */
export function withWrapOptions(y: Argv, deps: CliDeps) {
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
      .option('plan', {
        type: 'string',
        describe:
          'The ceremony plan (docs/plan-format.md): operators, material and backups from it; a request that is not its own refused',
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
