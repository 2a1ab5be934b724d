import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { QrDensity } from '@byok-ceremony/shared';
import {
  assertOperatorKeyFlags,
  qrShowFlagsOf,
  openOperatorKeys,
  withQrShowOptions,
  type CliDeps,
} from '@byok-ceremony/node-io';
import { parseOperators, withCeremonyOptions } from './ceremony-options.js';
import { withOperatorKeyOptions } from './operator-key-options.js';
import { runWrapBundle } from './wrap-bundle.js';
import { assertSelfTestPasses } from '../ops/self-test/run-self-test.js';
import { recoveryOf, type RecoverFlags } from './recover-source.js';

const WRAPPED_QR_DENSITY: QrDensity = 'high';

function withRecoverOptions(y: Argv) {
  return withOperatorKeyOptions(withQrShowOptions(withCeremonyOptions(y), WRAPPED_QR_DENSITY))
    .option('shares', {
      type: 'string',
      array: true,
      describe:
        'Share files (share-I-of-N.txt), or PNG/JPEG images of the share pages (files or folders): at least the threshold',
    })
    .option('age', {
      type: 'string',
      describe: 'The age file of the material set (material-set.age)',
    })
    .option('identity', {
      type: 'string',
      describe: 'age identity file (age-keygen) of one recipient; mode 0600',
    })
    .option('age-passphrase-file', {
      type: 'string',
      describe: 'Scripted runs: the passphrase of a passphrase-encrypted age file (else asked)',
    })
    .option('request', {
      type: 'string',
      describe: 'The new import request (byok-online prepare)',
    })
    .option('hsm', {
      type: 'string',
      describe: 'PKCS#11 URI of the token that holds the material (wrap --hsm): re-wrapped there',
    })
    .option('out', { type: 'string', describe: 'Output: wrapped-key bundle' });
}

type RecoverArgs = Awaited<ReturnType<typeof withRecoverOptions>['argv']> & RecoverFlags;

async function runRecover(argv: RecoverArgs, deps: CliDeps): Promise<void> {
  await assertSelfTestPasses();
  const path = (p: string): string => resolve(deps.cwd, p);
  const operators = parseOperators(argv.operator);
  const { material, request, out } = recoveryOf(argv, deps);
  const keyFiles = argv['operator-key'] ?? [];
  const passphraseFiles = argv['passphrase-file'] ?? [];
  assertOperatorKeyFlags(keyFiles, passphraseFiles, operators);
  await runWrapBundle(
    {
      command: 'recover',
      operators,
      checkCodes: argv['check-code'] ?? [],
      singleOperator: argv['single-operator'] === true,
      auditLog: path(argv['audit-log']),
      json: argv.json,
      openOperatorKeys: () =>
        openOperatorKeys(keyFiles.map(path), passphraseFiles.map(path), operators, deps),
      request,
      out,
      materialOf: () => ({ material, backup: undefined }),
      qr: qrShowFlagsOf(argv, deps.cwd, WRAPPED_QR_DENSITY),
    },
    deps,
  );
}

/**
 * `recover`: rebuilds a ceremony's material set from Shamir shares or its age file, in memory,
 * and wraps it for a new request, exactly as wrap does (check codes, KCVs, audit entry).
 */
export function recoverCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'recover',
    "Rebuild backed-up material (Shamir shares, age file), or take a token's (--hsm), and wrap it for a new request",
    withRecoverOptions,
    (argv) => runRecover(argv, deps),
  );
}
