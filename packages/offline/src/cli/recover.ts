import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ByokError, type QrDensity } from '@byok-ceremony/shared';
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
import { ageSource, sharesSource } from '../ops/recover-material.js';
import type { MaterialSource } from '../ops/material-source.js';
import { assertSelfTestPasses } from '../ops/self-test/run-self-test.js';
import { passphraseAsker, passphraseCheck, recoverPorts } from './material-of.js';

const WRAPPED_QR_DENSITY: QrDensity = 'high';

function usage(message: string, hint: string): ByokError {
  return new ByokError('ERR_USAGE', message, { hint });
}

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
    .option('out', { type: 'string', describe: 'Output: wrapped-key bundle' });
}

type RecoverArgs = Awaited<ReturnType<typeof withRecoverOptions>['argv']>;

/** The backup to recover from (shares, or the age file with its identity or passphrase), and the files. */
function recoveryOf(
  argv: RecoverArgs,
  deps: CliDeps,
): { readonly material: MaterialSource; readonly request: string; readonly out: string } {
  const path = (p: string): string => resolve(deps.cwd, p);
  const shares = argv.shares ?? [];
  if (shares.length > 0 === (argv.age !== undefined))
    throw usage(
      'recover needs --shares FILE... or --age FILE',
      'Give the share files, or the age file with --identity (or its passphrase).',
    );
  if (
    shares.length > 0 &&
    (argv.identity !== undefined || argv['age-passphrase-file'] !== undefined)
  )
    throw usage(
      '--identity and --age-passphrase-file go with --age',
      'Drop them when recovering from shares.',
    );
  if (argv.identity !== undefined && argv['age-passphrase-file'] !== undefined)
    throw usage(
      '--identity and --age-passphrase-file cannot be combined',
      'An age file is encrypted to recipients or to a passphrase: give the matching one.',
    );
  if (argv.request === undefined || argv.out === undefined)
    throw usage(
      'recover needs --request and --out',
      'byok-offline recover --shares s1.txt s2.txt --request request.json --out wrapped.json --operator A --operator B',
    );
  const passphraseFile =
    argv['age-passphrase-file'] === undefined ? undefined : path(argv['age-passphrase-file']);
  const ports = recoverPorts(
    passphraseAsker(passphraseFile, deps, false),
    passphraseCheck(passphraseFile, deps),
  );
  const material =
    shares.length > 0
      ? sharesSource(shares.map(path), ports)
      : ageSource(
          path(argv.age!),
          argv.identity === undefined ? undefined : path(argv.identity),
          ports,
        );
  return { material, request: path(argv.request), out: path(argv.out) };
}

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
    'Rebuild backed-up material (Shamir shares or age file) and wrap it for a new import request',
    withRecoverOptions,
    (argv) => runRecover(argv, deps),
  );
}
