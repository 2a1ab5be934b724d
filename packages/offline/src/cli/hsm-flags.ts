import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ByokError } from '@byok-ceremony/shared';
import type { CliDeps, PortRecorder } from '@byok-ceremony/node-io';
import { tokenPinAsker } from '../io/token-pin.js';
import { parsePkcs11Uri, type Pkcs11Uri } from '../ops/parse-pkcs11-uri.js';
import type { MaterialSource } from '../ops/material-source.js';
import type { TokenMaterialSource } from '../ops/token-material.js';
import type { BackupPlan } from '../ops/wrap-ceremony.js';
import { materialPlanOf } from './material-flags.js';
import { materialOf } from './material-of.js';
import type { MaterialFlags } from './material-options.js';

export function withHsmOption<T>(cli: Argv<T>) {
  return cli.option('hsm', {
    type: 'string',
    describe:
      'PKCS#11 URI of the token that holds and wraps the material: pkcs11:token=LABEL?module-path=/path/module.so&pin-source=file:PIN-FILE (PIN typed if no pin-source)',
  });
}

/** The flags that bring or back up plaintext: a token's material has none to give them. */
const PLAINTEXT_FLAGS = [
  'material-file',
  'material-set',
  'components',
  'component-file',
  'backup',
  'backup-dir',
  'backup-passphrase-file',
] as const;

function tokenSource(
  uri: Pkcs11Uri,
  mode: TokenMaterialSource['mode'],
  deps: CliDeps,
): TokenMaterialSource {
  const pinFile = uri.pinFile === undefined ? undefined : resolve(deps.cwd, uri.pinFile);
  const object = {
    ...(uri.object === undefined ? {} : { label: uri.object }),
    ...(uri.id === undefined ? {} : { id: uri.id }),
  };
  return {
    kind: 'token',
    mode,
    ...(uri.object === undefined && uri.id === undefined ? {} : { object }),
    // The binding (a native addon) loads here, on --hsm only, after every flag was checked.
    open: async () => {
      const { openToken } = await import('../io/pkcs11/open-token.js');
      return openToken(uri, tokenPinAsker(pinFile, deps));
    },
  };
}

/**
 * `wrap --hsm`: the URI parsed and the flags that need plaintext refused, before any file is
 * opened or anything asked; the material is generated in the token when the codes match.
 */
export function hsmWrapSource(
  uriText: string,
  argv: MaterialFlags,
  deps: CliDeps,
): TokenMaterialSource {
  const given = PLAINTEXT_FLAGS.filter((f) => argv[f] !== undefined);
  if (given.length > 0) {
    const backup = given[0]!.startsWith('backup') || (argv.backup ?? []).length > 0;
    throw new ByokError(
      'ERR_USAGE',
      `--hsm cannot be combined with --${given[0]!}${(argv.backup ?? []).includes(false) ? ' (or --no-backup)' : ''}`,
      {
        hint: backup
          ? "The material never leaves the token, so no plaintext backup can be made of it: the token's own backup or cloning is the backup (docs/ceremony.md, HSM variant). Drop the backup flags."
          : 'With --hsm the token generates the material; to bring material of your own, leave out --hsm.',
      },
    );
  }
  const uri = parsePkcs11Uri(uriText);
  if (uri.object !== undefined || uri.id !== undefined)
    throw new ByokError(
      'ERR_HSM_URI',
      '--hsm: wrap names its objects itself: leave object= and id= out',
      {
        hint: 'wrap --hsm labels each object CEREMONY-ID/KEY-ARN; object= and id= are for recover --hsm, to name an existing object.',
      },
    );
  return tokenSource(uri, 'generate', deps);
}

/** `recover --hsm`: re-wraps the token's objects; object= or id= may name the one to take. */
export function hsmRecoverSource(uriText: string, deps: CliDeps): TokenMaterialSource {
  return tokenSource(parsePkcs11Uri(uriText), 'existing', deps);
}

/**
 * wrap's material and backup step, from --hsm or the material flags, every flag checked before
 * any file is opened or anything asked.
 */
export function wrapMaterialOf(
  argv: MaterialFlags & { readonly hsm?: string | undefined },
  deps: CliDeps,
  path: (p: string) => string,
): (session: Pick<PortRecorder, 'wrote'>) => {
  readonly material: MaterialSource;
  readonly backup: BackupPlan | undefined;
} {
  if (argv.hsm !== undefined) {
    const token = hsmWrapSource(argv.hsm, argv, deps);
    return () => ({ material: token, backup: undefined });
  }
  const plan = materialPlanOf(argv, path);
  return (session) => materialOf(plan, deps, session);
}
