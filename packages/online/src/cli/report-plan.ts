import { resolve } from 'node:path';
import { ByokError } from '@byok-ceremony/shared';
import { readHiddenLine, readPlanFile, type LoadedPlan } from '@byok-ceremony/node-io';
import type { CliDeps } from './deps.js';

/** What `report --plan` takes from the plan and from the witness's sheet. */
export interface PlanReportInputs {
  readonly loaded: LoadedPlan;
  /** The two head codes, each typed once: the offline log's, then the online log's. */
  readonly heads: readonly string[];
  readonly witness: string;
}

/**
 * The closing step of a plan-driven ceremony: the record is anchored by the two head codes the
 * witness wrote down at the end of wrap and of import (asked here, each once, or given with
 * --expect-head in scripted runs), and names the plan's witness. Without the heads the record
 * would rest on the logs agreeing with each other, which proves nothing: it is refused.
 */
export async function planReportInputs(
  planFile: string,
  typedHeads: readonly string[],
  witnessFlag: string | undefined,
  deps: CliDeps,
): Promise<PlanReportInputs> {
  const loaded = await readPlanFile(resolve(deps.cwd, planFile));
  if (witnessFlag !== undefined && witnessFlag !== loaded.plan.witness)
    throw new ByokError(
      'ERR_USAGE',
      `--witness ${witnessFlag} is not the plan's witness, ${loaded.plan.witness}`,
      {
        hint: 'Leave out --witness: with --plan the record names the witness the plan names.',
      },
    );
  deps.stderr(`Plan code: ${loaded.code}   (compare with the signed plan sheet)\n`);
  if (typedHeads.length > 0) return { loaded, heads: typedHeads, witness: loaded.plan.witness };
  if (!deps.interactive)
    throw new ByokError(
      'ERR_USAGE',
      'report --plan needs the two head codes the witness wrote down',
      {
        hint: 'Run it at a terminal, where it asks for them, or give each with --expect-head (the offline head from the end of wrap, the online head from the end of import).',
      },
    );
  const heads: string[] = [];
  for (const [what, when] of [
    ['offline', 'at the end of byok-offline wrap'],
    ['online', 'at the end of byok-online import'],
  ] as const) {
    deps.stderr(
      `${loaded.plan.witness}, type the ${what} log's head code, as you wrote it down ${when}: `,
    );
    try {
      const line = await readHiddenLine(deps.stdin, {
        what: `the ${what} head code`,
        code: 'ERR_USAGE',
        endHint: 'Type each head code from the witness sheet, one line each.',
      });
      heads.push(line.toString('utf8').trim());
    } finally {
      deps.stderr('\n');
    }
  }
  return { loaded, heads, witness: loaded.plan.witness };
}
