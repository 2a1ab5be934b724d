import { ByokError } from '../errors.js';
import { normalizeOperatorName } from '../validation/operator-name.js';
import type { CeremonyPlan } from './plan-types.js';

/**
 * With a plan the operators are the plan's. An --operator list, when given anyway, must be the
 * plan's names exactly and in its order, once normalised as every recorded name is (NFKC): a
 * look-alike or a reordering is a departure from what was reviewed, and the record only ever
 * carries the plan's spelling. Both CLIs call this one rule, on the names as typed, so that the
 * two machines cannot accept different lists for one plan.
 */
export function assertPlanOperators(given: readonly string[], plan: CeremonyPlan): void {
  const planned = plan.operators.map((o) => o.name);
  if (given.length === 0) return;
  const names = given.map(normalizeOperatorName);
  if (names.length === planned.length && names.every((name, i) => name === planned[i])) return;
  throw new ByokError(
    'ERR_OPERATORS',
    `--operator ${given.join(', ')} is not the plan's operators ${planned.join(', ')}`,
    {
      hint: `Leave --operator out: with --plan the operators are the plan's (${planned.join(', ')}, in this order); another operator needs the plan reviewed again.`,
    },
  );
}
