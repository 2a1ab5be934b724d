import { ByokError, sameOperator } from '@byok-ceremony/shared';
import type { LoadedPlan } from '@byok-ceremony/node-io';
import type { GlobalOptions } from './global-options.js';

/**
 * A plan-driven command's operators and Region are the plan's: flags that say the same are
 * allowed, flags that say otherwise are refused (what was reviewed is what runs).
 */
export function planGlobals(globals: GlobalOptions, loaded: LoadedPlan): GlobalOptions {
  const { plan } = loaded;
  const operators = plan.operators.map((o) => o.name);
  const given = globals.operators;
  if (
    given.length > 0 &&
    (given.length !== operators.length || given.some((o, i) => !sameOperator(o, operators[i]!)))
  )
    throw new ByokError(
      'ERR_USAGE',
      `--operator ${given.join(', ')} is not the plan's operators (${operators.join(', ')})`,
      {
        hint: "Leave out --operator: with --plan the operators are the plan's; another operator needs a plan reviewed again.",
      },
    );
  if (globals.region !== undefined && globals.region !== plan.region)
    throw new ByokError(
      'ERR_USAGE',
      `--region ${globals.region} is not the plan's Region, ${plan.region}`,
      {
        hint: "Leave out --region: with --plan the keys are in the plan's Region (replicas in theirs).",
      },
    );
  return { ...globals, operators, region: plan.region };
}
