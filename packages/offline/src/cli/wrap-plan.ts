import {
  ByokError,
  assertRequestOfPlan,
  assertPlanOperators,
  type ImportRequestBundle,
} from '@byok-ceremony/shared';
import {
  assertPlanOperatorKeys,
  planSummaryLines,
  readPlanFile,
  type CliDeps,
  type LoadedPlan,
} from '@byok-ceremony/node-io';
import type { MaterialPlan } from './material-flags.js';
import type { MaterialFlags } from './material-options.js';

/** What `wrap --plan` takes from the plan instead of flags. */
export interface WrapFromPlan {
  readonly loaded: LoadedPlan;
  readonly operators: readonly string[];
  readonly material: MaterialPlan;
  /** Refuses a request that is not the plan's, before any code is asked. */
  readonly assertRequest: (request: ImportRequestBundle) => void;
}

interface PlanDrivenFlags extends MaterialFlags {
  readonly hsm?: string | undefined;
  readonly operator: readonly string[];
  readonly 'single-operator'?: boolean | undefined;
  readonly 'operator-key'?: readonly string[] | undefined;
}

function usage(message: string, hint: string): ByokError {
  return new ByokError('ERR_USAGE', message, { hint });
}

/**
 * `wrap --plan` (and `recover --plan`): the operators, the material source and the backups are
 * the plan's, the operator keys must be the ones it pins, and the request must be the plan's.
 * All of it is checked before the first prompt. A flag that would say otherwise is refused
 * rather than weighed against the plan: what was reviewed is what runs.
 */
export async function wrapFromPlan(
  planFile: string,
  argv: PlanDrivenFlags,
  path: (p: string) => string,
  deps: CliDeps,
): Promise<WrapFromPlan> {
  const loaded = await readPlanFile(path(planFile));
  deps.stderr(`${planSummaryLines(loaded, false).join('\n')}\n`);
  const { plan } = loaded;
  const operators = plan.operators.map((o) => o.name);
  assertPlanOperators(argv.operator, plan);
  if (argv['single-operator'] === true)
    throw usage(
      '--single-operator cannot be combined with --plan',
      "A plan-driven ceremony has the plan's two or more operators; --single-operator is for flag-driven rehearsals.",
    );
  await assertPlanOperatorKeys((argv['operator-key'] ?? []).map(path), plan.operators, planFile);
  return {
    loaded,
    operators,
    material: materialOfPlan(loaded, argv, path),
    assertRequest: (request) => {
      assertRequestOfPlan(request, loaded, 'import request');
    },
  };
}

function materialOfPlan(
  loaded: LoadedPlan,
  argv: PlanDrivenFlags,
  path: (p: string) => string,
): MaterialPlan {
  const { plan } = loaded;
  const said = (['material-file', 'backup', 'components', 'hsm'] as const).filter(
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
