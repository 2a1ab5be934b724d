import { ByokError, assertPlanOperators } from '@byok-ceremony/shared';
import type { LoadedPlan } from '@byok-ceremony/node-io';
import type { GlobalOptions } from './global-options.js';

/**
 * The operators and Region are the plan's: an --operator list must be the plan's names in order
 * and a --region the plan's Region, so what is typed cannot quietly depart from what was signed.
 */
export function planGlobals(globals: GlobalOptions, loaded: LoadedPlan): GlobalOptions {
  const { plan } = loaded;
  assertPlanOperators(globals.operators, plan);
  if (globals.region !== undefined && globals.region !== plan.region)
    throw new ByokError(
      'ERR_USAGE',
      `--region ${globals.region} is not the plan's Region ${plan.region}`,
      { hint: 'Leave --region out: the plan names the Region.' },
    );
  return { ...globals, operators: plan.operators.map((o) => o.name), region: plan.region };
}
