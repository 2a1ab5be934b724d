import {
  ByokError,
  assertBackupSpecsCombine,
  parseBackupSpec,
  type BackupSpec,
} from '@byok-ceremony/shared';
import type { MaterialFlags } from './material-options.js';

/** Where wrap's material comes from, as its flags say (checked before anything is read). */
export type MaterialPlan =
  | {
      readonly kind: 'generate';
      readonly backups: readonly BackupSpec[];
      readonly backupDir: string;
      readonly passphraseFile: string | undefined;
    }
  | { readonly kind: 'generate-no-backup' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'material-set'; readonly path: string }
  | { readonly kind: 'components'; readonly count: number; readonly files: readonly string[] };

function usage(message: string, hint: string): ByokError {
  return new ByokError('ERR_USAGE', message, { hint });
}

/**
 * The material plan of wrap's flags, checked before any file is opened or anything is asked:
 * one source at most; generated material needs a backup (or the logged --no-backup).
 */
export function materialPlanOf(argv: MaterialFlags, path: (p: string) => string): MaterialPlan {
  const componentFiles = argv['component-file'] ?? [];
  const sources = (['material-file', 'material-set', 'components'] as const).filter(
    (f) => argv[f] !== undefined,
  );
  if (sources.length > 1)
    throw usage(
      `--${sources[0]} and --${sources[1]} cannot be combined`,
      'Give the material one way: a file, a set, components, or none to generate it.',
    );
  if (componentFiles.length > 0 && argv.components === undefined)
    throw usage(
      '--component-file needs --components N',
      'Say how many custodians combine: --components N.',
    );
  const raw = argv.backup ?? [];
  const noBackup = raw.includes(false);
  const given = raw.filter((b): b is string => typeof b === 'string');
  if (noBackup && given.length > 0)
    throw usage(
      '--no-backup cannot be combined with --backup',
      'Choose a backup, or --no-backup for a rehearsal.',
    );
  const specs: BackupSpec[] = given.map(parseBackupSpec);
  assertBackupSpecsCombine(specs);
  if (specs.length > 0 && sources.length > 0)
    throw usage(
      `--backup backs up generated material; with --${sources[0]} the custodians already keep it`,
      'Drop --backup, or leave out the material flag to generate material and back it up.',
    );
  if (specs.length > 0 && argv['backup-dir'] === undefined)
    throw usage(
      '--backup needs --backup-dir',
      'Name the (new or empty) folder on the backup media: --backup-dir DIR.',
    );
  if (specs.length === 0 && argv['backup-dir'] !== undefined)
    throw usage(
      '--backup-dir needs --backup',
      'Say which backup to make: --backup shamir:2-of-3, --backup age:RECIPIENT.',
    );
  if (
    argv['backup-passphrase-file'] !== undefined &&
    !specs.some((s) => s.kind === 'age-passphrase')
  )
    throw usage(
      '--backup-passphrase-file needs --backup age:passphrase',
      'Drop it, or add --backup age:passphrase.',
    );
  if (noBackup && sources.length > 0)
    throw usage(
      `--no-backup is for generated material; with --${sources[0]} nothing is generated`,
      'Drop --no-backup.',
    );
  if (argv['material-file'] !== undefined)
    return { kind: 'file', path: path(argv['material-file']) };
  if (argv['material-set'] !== undefined)
    return { kind: 'material-set', path: path(argv['material-set']) };
  if (argv.components !== undefined) {
    if (!Number.isInteger(argv.components) || argv.components < 2 || argv.components > 9)
      throw usage(
        `--components ${argv.components}: split knowledge needs 2 to 9 custodians`,
        'Give --components 2 or more.',
      );
    return { kind: 'components', count: argv.components, files: componentFiles.map(path) };
  }
  if (noBackup) return { kind: 'generate-no-backup' };
  if (specs.length === 0)
    throw new ByokError('ERR_BACKUP_REQUIRED', 'generated material needs a backup', {
      hint: 'KMS cannot export imported material, so an expired or deleted key could only be restored from a backup: add --backup shamir:M-of-N and/or --backup age:RECIPIENT with --backup-dir DIR, or bring material you keep (--material-file, --material-set, --components). --no-backup is for rehearsals only and is logged.',
    });
  return {
    kind: 'generate',
    backups: specs,
    backupDir: path(argv['backup-dir']!),
    passphraseFile:
      argv['backup-passphrase-file'] === undefined
        ? undefined
        : path(argv['backup-passphrase-file']),
  };
}
