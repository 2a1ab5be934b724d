import {
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
import { materialOfPlan, usage, type PlanDrivenFlags } from './wrap-plan-material.js';

/** What `wrap --plan` takes from the plan instead of flags. */
export interface WrapFromPlan {
  readonly loaded: LoadedPlan;
  readonly operators: readonly string[];
  /** `token`: the --hsm URI, checked to name the plan's token. */
  readonly material: MaterialPlan | { readonly kind: 'token'; readonly uri: string };
  /** Refuses a request that is not the plan's, before any code is asked. */
  readonly assertRequest: (request: ImportRequestBundle) => void;
}

/**
 * `wrap --plan`: the operators, the material source and the backups are
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
