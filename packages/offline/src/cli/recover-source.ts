import { resolve } from 'node:path';
import { ByokError } from '@byok-ceremony/shared';
import type { CliDeps } from '@byok-ceremony/node-io';
import type { MaterialSource } from '../ops/material-source.js';
import { ageSource, sharesSource } from '../ops/recover-material.js';
import { hsmRecoverSource } from './hsm-flags.js';
import { passphraseAsker, passphraseCheck, recoverPorts } from './material-of.js';

/** recover's flags that say where the material comes from and what is written. */
export interface RecoverFlags {
  readonly shares?: readonly string[] | undefined;
  readonly age?: string | undefined;
  readonly identity?: string | undefined;
  readonly 'age-passphrase-file'?: string | undefined;
  readonly hsm?: string | undefined;
  readonly request?: string | undefined;
  readonly out?: string | undefined;
}

function usage(message: string, hint: string): ByokError {
  return new ByokError('ERR_USAGE', message, { hint });
}

/** The backup to recover from (shares, or the age file with its identity or passphrase), and the files. */
export function recoveryOf(
  argv: RecoverFlags,
  deps: CliDeps,
): { readonly material: MaterialSource; readonly request: string; readonly out: string } {
  const path = (p: string): string => resolve(deps.cwd, p);
  const shares = argv.shares ?? [];
  if (argv.hsm !== undefined) {
    const other = (['shares', 'age', 'identity', 'age-passphrase-file'] as const).find(
      (f) => argv[f] !== undefined,
    );
    if (other !== undefined)
      throw usage(
        `--hsm cannot be combined with --${other}`,
        'The material is in the token (--hsm) or in a backup (--shares, --age): give one.',
      );
    return { material: hsmRecoverSource(argv.hsm, deps), ...requestAndOut(argv, path) };
  }
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
  const files = requestAndOut(argv, path);
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
  return { material, ...files };
}

function requestAndOut(
  argv: RecoverFlags,
  path: (p: string) => string,
): { readonly request: string; readonly out: string } {
  if (argv.request === undefined || argv.out === undefined)
    throw usage(
      'recover needs --request and --out',
      'byok-offline recover --shares s1.txt s2.txt (or --hsm URI) --request request.json --out wrapped.json --operator A --operator B',
    );
  return { request: path(argv.request), out: path(argv.out) };
}
