import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import {
  assertOperators,
  formatFingerprint,
  type KeySpec,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '@byok-ceremony/shared';
import { AuditSession, fileOutputWriter, type CliDeps } from '@byok-ceremony/node-io';
import { wrapRawCeremony } from '../ops/wrap-raw-ceremony.js';
import { runOfflineAudited, sayOn } from './audited.js';
import { readOfflineFile } from './material-of.js';
import { parseOperators } from './ceremony-options.js';
import { assertSelfTestPasses } from '../ops/self-test/run-self-test.js';

/** The flags only raw mode takes; `wrap --public-key ...` is kept as an alias of `wrap raw`. */
export const RAW_ONLY = [
  'public-key',
  'console-zip',
  'wrapping-algorithm',
  'key-spec',
  'wrapping-key-spec',
];

/** Raw mode, the seed's step 7: PublicKey.bin + material → EncryptedKeyMaterial.bin. */
export async function runWrapRaw(
  argv: Readonly<Record<string, unknown>>,
  deps: CliDeps,
): Promise<void> {
  const operators = parseOperators((argv['operator'] as string[] | undefined) ?? []);
  const singleOperator = argv['single-operator'] === true;
  // Two people, as for a bundle wrap, refused before any file is read or the log is touched.
  assertOperators(operators, { singleOperator });
  await assertSelfTestPasses();
  const path = (p: unknown): string => resolve(deps.cwd, String(p));
  const keySpec = (argv['key-spec'] as KeySpec | undefined) ?? 'SYMMETRIC_DEFAULT';
  const wrappingAlgorithm = argv['wrapping-algorithm'] as WrappingAlgorithm;
  const out = path(argv['out']);
  const session = new AuditSession('wrap', operators);
  const result = await runOfflineAudited(deps, path(argv['audit-log']), session, () =>
    wrapRawCeremony(
      {
        publicKey: argv['public-key'] === undefined ? undefined : path(argv['public-key']),
        consoleZip: argv['console-zip'] === undefined ? undefined : path(argv['console-zip']),
        wrappingAlgorithm,
        keySpec,
        wrappingKeySpec: argv['wrapping-key-spec'] as WrappingKeySpec | undefined,
        materialFile: path(argv['material-file']),
        out,
        operators,
        singleOperator,
      },
      { readFile: readOfflineFile, writer: fileOutputWriter(session), say: sayOn(deps) },
    ),
  );
  if (argv['json'] === true) {
    deps.stdout(`${JSON.stringify({ out, keySpec, wrappingAlgorithm, ...result })}\n`);
    return;
  }
  deps.stdout(
    [
      `Wrote ${out} (${result.bytes} bytes, ${wrappingAlgorithm})`,
      `  material: ${keySpec} KCV ${result.kcv}`,
      `  wrapping key: ${result.wrappingKeySpec} ${formatFingerprint(result.wrappingKeyFingerprint)}`,
      '',
    ].join('\n'),
  );
}

/** `wrap raw`: every raw flag required; bundle-mode flags refused by the parent's `conflicts`. */
export function wrapRawCommand<T>(y: Argv<T>, deps: CliDeps): Argv<T> {
  return y.command(
    'raw',
    'Wrap a --material-file for a raw PublicKey.bin (the seed procedure), writing EncryptedKeyMaterial.bin',
    (z) =>
      z.demandOption(['wrapping-algorithm', 'material-file', 'out']).check((argv) => {
        if ((argv['public-key'] === undefined) === (argv['console-zip'] === undefined))
          throw new Error('wrap raw needs one of --public-key and --console-zip');
        return true;
      }),
    (argv) => runWrapRaw(argv, deps),
  );
}
