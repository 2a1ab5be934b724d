import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ByokError } from '@byok-ceremony/shared';
import { AuditSession } from '@byok-ceremony/node-io';
import { importRawCeremony } from '../ops/import-raw-ceremony.js';
import { resolveExpiration, type Expiration } from '../ops/resolve-expiration.js';
import { onlinePorts, runOnlineAudited, waitOptions } from './audited.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf } from './global-options.js';
import { assertTwoPerson } from './two-person.js';

export const RAW_FLAGS = ['key-id', 'import-token', 'encrypted-key-material'] as const;

function given(args: Readonly<Record<string, unknown>>, flag: string): string | undefined {
  const value = args[flag];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new ByokError('ERR_USAGE', `--${flag} needs one value`, {
      hint: `Give --${flag} once, with a value.`,
    });
  }
  return value;
}

/** The expiration flags of both import forms, and the raw files (also taken by `import` as an alias). */
export function withExpirationOptions(y: Argv): Argv {
  return y
    .option('expiration-model', {
      type: 'string',
      describe:
        'KEY_MATERIAL_DOES_NOT_EXPIRE (default) or KEY_MATERIAL_EXPIRES (default with --valid-to)',
    })
    .option('valid-to', {
      type: 'string',
      describe: 'When the material expires, RFC 3339, at most 365 days ahead',
    })
    .option('key-id', { type: 'string', describe: 'import raw: the key to import into' })
    .option('import-token', {
      type: 'string',
      describe: 'import raw: ImportToken.bin from prepare --raw-dir',
    })
    .option('encrypted-key-material', {
      type: 'string',
      describe: 'import raw: EncryptedKeyMaterial.bin from byok-offline wrap raw',
    });
}

export function expirationOf(args: Readonly<Record<string, unknown>>, deps: CliDeps): Expiration {
  return resolveExpiration(given(args, 'expiration-model'), given(args, 'valid-to'), deps.now());
}

/** `import raw`: one seed-procedure file into one key; no code to confirm, no proof. */
export async function runImportRaw(
  args: Readonly<Record<string, unknown>>,
  deps: CliDeps,
): Promise<void> {
  const globals = globalOptionsOf(args, deps);
  // Two people, as for a bundle import, refused before any file is read or the log is touched.
  const exceptions = assertTwoPerson(args, globals.operators);
  const session = new AuditSession('import', globals.operators, exceptions);
  const expiration = expirationOf(args, deps);
  const result = await runOnlineAudited(deps, globals, session, () =>
    importRawCeremony(
      {
        keyId: given(args, 'key-id')!,
        importToken: resolve(deps.cwd, given(args, 'import-token')!),
        encryptedKeyMaterial: resolve(deps.cwd, given(args, 'encrypted-key-material')!),
        expiration,
      },
      { ...onlinePorts(deps, globals, session), wait: waitOptions(deps) },
    ),
  );
  if (globals.json) {
    deps.stdout(`${JSON.stringify(result)}\n`);
    return;
  }
  deps.stdout(
    `Imported into ${result.keyArn}\n  state           ${result.keyState}\n  KeyMaterialId   ${result.keyMaterialId ?? '(not reported)'}\n`,
  );
  deps.stderr(
    'byok-online: note: raw mode proves nothing about the material; the bundle mode checks codes and proves HMAC and asymmetric keys\n',
  );
}

/** Adds `import raw` under `import`; `import --key-id ...` runs the same handler. */
export function importRawCommand(y: Argv, deps: CliDeps): Argv {
  return y.command(
    'raw',
    'Import one raw EncryptedKeyMaterial.bin with its ImportToken.bin (the seed procedure)',
    (z) => z.demandOption([...RAW_FLAGS]),
    (args) => runImportRaw(args, deps),
  );
}
