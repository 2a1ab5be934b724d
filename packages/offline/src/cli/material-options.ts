import type { Argv } from 'yargs';

/** The flags that say where wrap's material comes from and which backups it makes. */
export function withMaterialOptions<T>(cli: Argv<T>) {
  return cli
    .option('material-file', {
      type: 'string',
      describe:
        'Existing material (raw bytes, or a PKCS#8 private key) for a one-group request; mode 0600',
    })
    .option('material-set', {
      type: 'string',
      describe: 'A material set (docs/backup-format.md) for any number of keys; mode 0600',
    })
    .option('components', {
      type: 'number',
      describe:
        "Combine N custodians' XOR components per key (asked without echo, or --component-file)",
    })
    .option('component-file', {
      type: 'string',
      array: true,
      describe:
        'Scripted runs: component files of components new (N per material group); mode 0600',
    })
    .option('backup', {
      type: 'string',
      array: true,
      describe:
        'Back up generated material: shamir:M-of-N, age:RECIPIENT (repeatable) or age:passphrase; --no-backup for rehearsals',
    })
    .option('backup-dir', {
      type: 'string',
      describe: 'New or empty folder for the backups (share-I-of-N.txt/.html, material-set.age)',
    })
    .option('backup-passphrase-file', {
      type: 'string',
      describe: 'Scripted runs: the age:passphrase passphrase (else asked twice on the terminal)',
    });
}

export interface MaterialFlags {
  readonly 'material-file'?: string | undefined;
  readonly 'material-set'?: string | undefined;
  readonly components?: number | undefined;
  readonly 'component-file'?: readonly string[] | undefined;
  readonly backup?: readonly (string | boolean)[] | undefined;
  readonly 'backup-dir'?: string | undefined;
  readonly 'backup-passphrase-file'?: string | undefined;
}
