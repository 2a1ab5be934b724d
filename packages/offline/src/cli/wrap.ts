import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ByokError } from '@byok-ceremony/shared';
import {
  assertOperatorKeyFlags,
  qrShowFlagsOf,
  openOperatorKeys,
  type CliDeps,
} from '@byok-ceremony/node-io';
import { assertSelfTestPasses } from '../ops/self-test/run-self-test.js';
import { parseOperators } from './ceremony-options.js';
import { wrapMaterialOf } from './hsm-flags.js';
import { materialOf } from './material-of.js';
import { runWrapBundle } from './wrap-bundle.js';
import { WRAPPED_QR_DENSITY, withWrapOptions } from './wrap-options.js';
import { wrapFromPlan } from './wrap-plan.js';
import { runWrapRaw } from './wrap-raw.js';

type WrapArgs = Awaited<ReturnType<typeof withWrapOptions>['argv']>;

function usage(message: string, hint: string): ByokError {
  return new ByokError('ERR_USAGE', message, { hint });
}

async function runWrap(argv: WrapArgs, deps: CliDeps): Promise<void> {
  if (argv['public-key'] !== undefined || argv['console-zip'] !== undefined) {
    await runWrapRaw(argv, deps);
    return;
  }
  await assertSelfTestPasses();
  const path = (p: string): string => resolve(deps.cwd, p);
  const planned =
    argv.plan === undefined ? undefined : await wrapFromPlan(argv.plan, argv, path, deps);
  const operators = planned?.operators ?? parseOperators(argv.operator);
  const qr = qrShowFlagsOf(argv, deps.cwd, WRAPPED_QR_DENSITY);
  if (argv.request === undefined)
    throw usage(
      'wrap needs --request (ceremony) or wrap raw (the seed procedure)',
      'byok-offline wrap --request request.json --out wrapped.json --operator A --operator B, or see byok-offline wrap raw --help.',
    );
  if (argv.out === undefined)
    throw usage('wrap needs --out', 'Name the wrapped-key bundle to write: --out wrapped.json.');
  // Checked before any file is opened and before any prompt.
  const fromPlan = planned?.material;
  const materialOfSession =
    fromPlan === undefined
      ? wrapMaterialOf(argv, deps, path)
      : fromPlan.kind === 'token'
        ? wrapMaterialOf({ ...argv, hsm: fromPlan.uri }, deps, path)
        : (session: Parameters<typeof materialOf>[2]) => materialOf(fromPlan, deps, session);
  const keyFiles = argv['operator-key'] ?? [];
  const passphraseFiles = argv['passphrase-file'] ?? [];
  assertOperatorKeyFlags(keyFiles, passphraseFiles, operators);
  const openKeys = () =>
    openOperatorKeys(keyFiles.map(path), passphraseFiles.map(path), operators, deps);
  await runWrapBundle(
    {
      operators,
      checkCodes: argv['check-code'] ?? [],
      singleOperator: argv['single-operator'] === true,
      ...(planned === undefined
        ? {}
        : {
            plan: {
              record: { digest: planned.loaded.digest, name: planned.loaded.plan.name },
              assertRequest: planned.assertRequest,
            },
          }),
      auditLog: path(argv['audit-log']),
      json: argv.json,
      openOperatorKeys: openKeys,
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
