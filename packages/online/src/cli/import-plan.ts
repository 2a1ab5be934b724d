import { resolve } from 'node:path';
import { assertRequestOfPlan, ByokError, planMaterialGroup } from '@byok-ceremony/shared';
import {
  assertPlanOperatorKeys,
  planSummaryLines,
  readPlanFile,
  type LoadedPlan,
} from '@byok-ceremony/node-io';
import type { ImportCeremonyInput } from '../ops/import-ceremony.js';
import { resolveExpiration, type Expiration } from '../ops/resolve-expiration.js';
import type { CliDeps } from './deps.js';
import { stringList } from './global-options.js';

/** What `import --plan` takes from the plan: what the ceremony input carries, and the plan itself. */
export interface ImportFromPlan {
  readonly loaded: LoadedPlan;
  readonly plan: NonNullable<ImportCeremonyInput['plan']>;
}

/**
 * `import --plan`: the plan's operator keys (checked now, before any prompt), each key's expiry
 * from the plan (each checked now too: at most 365 days ahead), and the request checked to be
 * the plan's once it is read. --valid-to and --expiration-model are the plan's to say.
 */
export async function importFromPlan(
  planFile: string,
  args: Readonly<Record<string, unknown>>,
  deps: CliDeps,
): Promise<ImportFromPlan> {
  for (const flag of ['valid-to', 'expiration-model', 'single-operator'])
    if (args[flag] !== undefined && args[flag] !== false)
      throw new ByokError('ERR_USAGE', `--${flag} cannot be combined with --plan`, {
        hint: "The plan says each key's expiry and its two operators; leave the flag out.",
      });
  const loaded = await readPlanFile(resolve(deps.cwd, planFile));
  deps.stderr(`${planSummaryLines(loaded, false).join('\n')}\n`);
  await assertPlanOperatorKeys(
    stringList(args, 'operator-key').map((p) => resolve(deps.cwd, p)),
    loaded.plan.operators,
    planFile,
  );
  const expirations = new Map<string, Expiration>();
  for (const key of loaded.plan.keys)
    expirations.set(
      planMaterialGroup(key.alias),
      resolveExpiration(undefined, key.validTo ?? undefined, deps.now()),
    );
  return {
    loaded,
    plan: {
      record: { digest: loaded.digest, name: loaded.plan.name },
      assertRequest: (request) => {
        assertRequestOfPlan(request, loaded, 'import request');
      },
      expirationOf: (group) => expirations.get(group)!,
    },
  };
}
