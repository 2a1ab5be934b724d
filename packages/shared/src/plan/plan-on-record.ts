import type { LoggedEntry } from '../audit/verify-chain.js';
import { ByokError } from '../errors.js';
import type { DigestedPlan } from './plan-types.js';

/**
 * Refuses logs that did not run this plan: a record made with `report --plan` says the plan
 * was carried out, so both logs must hold a successful wrap and import of it, and no entry of
 * another plan. (Which keys and what material is the transcript's and the record's business.)
 */
export function assertLogsRanPlan(entries: readonly LoggedEntry[], loaded: DigestedPlan): void {
  const problems: string[] = [];
  const other = entries.filter(
    (e) => e.entry.plan !== undefined && e.entry.plan.digest !== loaded.digest,
  );
  for (const e of other)
    problems.push(
      `${e.file} line ${e.line}: ${e.entry.command} ran plan ${e.entry.plan!.name} (digest ${e.entry.plan!.digest.slice(0, 16)}…)`,
    );
  for (const command of ['prepare', 'wrap', 'import'])
    if (
      !entries.some(
        (e) =>
          e.entry.command === command &&
          e.entry.outcome === 'ok' &&
          e.entry.plan?.digest === loaded.digest,
      )
    )
      problems.push(`no successful ${command} of this plan in the logs`);
  if (problems.length > 0)
    throw new ByokError(
      'ERR_AUDIT_VERIFY',
      `the logs do not record this plan's ceremony (plan code ${loaded.code}):\n${problems.map((p) => `  ${p}`).join('\n')}`,
      {
        hint: "Give the plan the ceremony ran from and both machines' logs of it (--log online, --log offline); audit verify shows what the logs hold.",
        details: problems,
      },
    );
}
