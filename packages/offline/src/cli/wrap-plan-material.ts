import { ByokError, type PlanMaterial } from '@byok-ceremony/shared';
import type { LoadedPlan } from '@byok-ceremony/node-io';
import { parsePkcs11Uri } from '../ops/parse-pkcs11-uri.js';
import type { MaterialPlan } from './material-flags.js';
import type { MaterialFlags } from './material-options.js';

// What wrap --plan takes as its material from the plan, and the flags that may not say otherwise.

export interface PlanDrivenFlags extends MaterialFlags {
  readonly hsm?: string | undefined;
  readonly operator: readonly string[];
  readonly 'single-operator'?: boolean | undefined;
  readonly 'operator-key'?: readonly string[] | undefined;
}

export function usage(message: string, hint: string): ByokError {
  return new ByokError('ERR_USAGE', message, { hint });
}

/**
 * A plan whose material is born in a token: --hsm must name that token by the plan's label and
 * serial, so the objects are generated in the token the plan reviewed (openToken opens only a
 * token whose CK_TOKEN_INFO has both). The URI checked is the one wrap then opens.
 */
function tokenOfPlan(
  material: Extract<PlanMaterial, { source: 'hsm' }>,
  argv: PlanDrivenFlags,
): { readonly kind: 'token'; readonly uri: string } {
  const named = `token=${encodeURIComponent(material.token)};serial=${encodeURIComponent(material.serial)}`;
  if (argv.hsm === undefined)
    throw usage(
      `the plan's material is generated in the PKCS#11 token ${material.token} (serial ${material.serial}): give --hsm`,
      `Name it with --hsm 'pkcs11:${named}?module-path=/path/module.so&pin-source=file:PIN-FILE'.`,
    );
  const { token } = parsePkcs11Uri(argv.hsm);
  if (token.label !== material.token || token.serial !== material.serial)
    throw usage(
      `--hsm names ${token.label === undefined ? 'no token label' : `token ${token.label}`}${token.serial === undefined ? ' and no serial' : ` (serial ${token.serial})`}, the plan's token is ${material.token} (serial ${material.serial})`,
      `Give --hsm with the plan's ${named}; another token needs the plan reviewed again.`,
    );
  return { kind: 'token', uri: argv.hsm };
}

/** wrap --plan's material: the plan's source, any flag that would say otherwise refused. */
export function materialOfPlan(
  loaded: LoadedPlan,
  argv: PlanDrivenFlags,
  path: (p: string) => string,
): MaterialPlan | { readonly kind: 'token'; readonly uri: string } {
  const { plan } = loaded;
  if (plan.material.source === 'hsm') return tokenOfPlan(plan.material, argv);
  if (argv.hsm !== undefined)
    throw usage(
      `--hsm: the plan's material source is ${plan.material.source}`,
      'Leave out --hsm, or review a plan whose material source is hsm.',
    );
  const said = (['material-file', 'backup', 'components'] as const).filter(
    (f) => argv[f] !== undefined && !(Array.isArray(argv[f]) && argv[f].length === 0),
  );
  if (said.length > 0)
    throw usage(
      `--${said[0]} cannot be combined with --plan`,
      'The plan says where the material comes from and how it is backed up; leave the flag out.',
    );
  const source = plan.material;
  if (source.source === 'material-set') {
    if (argv['material-set'] === undefined)
      throw usage(
        'the plan takes the material from a material set: give --material-set FILE',
        'Name the material set the custodians brought (docs/backup-format.md).',
      );
    return { kind: 'material-set', path: path(argv['material-set']) };
  }
  if (argv['material-set'] !== undefined)
    throw usage(
      `--material-set: the plan's material source is ${source.source}`,
      'Leave out --material-set, or review a plan whose material is a material set.',
    );
  if (source.source === 'components')
    return {
      kind: 'components',
      count: source.custodians,
      files: (argv['component-file'] ?? []).map(path),
    };
  if (plan.backup === 'none') {
    if (argv['backup-dir'] !== undefined)
      throw usage(
        '--backup-dir: the plan makes no backup',
        'Leave out --backup-dir (the plan says backup: none).',
      );
    return { kind: 'generate-no-backup' };
  }
  if (argv['backup-dir'] === undefined)
    throw usage(
      'the plan backs the material up: give --backup-dir DIR',
      'Name the new or empty folder on the backup media: --backup-dir DIR.',
    );
  const passphrase = plan.backup.some((b) => b.kind === 'age-passphrase');
  if (!passphrase && argv['backup-passphrase-file'] !== undefined)
    throw usage('--backup-passphrase-file: the plan has no age:passphrase backup', 'Leave it out.');
  return {
    kind: 'generate',
    backups: plan.backup,
    backupDir: path(argv['backup-dir']),
    passphraseFile:
      argv['backup-passphrase-file'] === undefined
        ? undefined
        : path(argv['backup-passphrase-file']),
  };
}
