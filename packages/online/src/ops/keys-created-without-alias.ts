import type { LoggedAuditEntry } from '@byok-ceremony/node-io';
import type { CeremonyPlan } from '@byok-ceremony/shared';

/** What a logged key must be to be taken as the plan's: a key ARN of the plan's account and Region. */
function planKeyArn(plan: Pick<CeremonyPlan, 'account' | 'region'>): RegExp {
  return new RegExp(
    `^arn:aws[a-z-]*:kms:${plan.region}:${plan.account}:key/(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`,
  );
}

/**
 * Plan keys this machine's log shows created by `prepare --plan` of the plan with `digest` whose
 * alias was never created (CreateAlias failed part-way): alias → key ARN. KMS cannot find such a
 * key by its alias, so without this a run again would create a second key for the alias. Give it
 * only a log whose chain holds (readIntactAuditLogEntries); only key ARNs of the plan's account
 * and Region count (a key made with another account's credentials is that account's to delete),
 * and the key found is still compared with the plan like any other before its alias is made.
 */
export function keysCreatedWithoutAlias(
  log: readonly LoggedAuditEntry[],
  plan: { readonly digest: string; readonly plan: Pick<CeremonyPlan, 'account' | 'region'> },
): ReadonlyMap<string, string> {
  const ours = planKeyArn(plan.plan);
  const pending = new Map<string, string>();
  const aliased = new Set<string>();
  for (const { entry } of log) {
    if (entry.command !== 'prepare' || entry.plan?.digest !== plan.digest) continue;
    const keys: readonly unknown[] = Array.isArray(entry.keys) ? entry.keys : [];
    for (const key of keys) {
      const { keyArn, alias, created } = (key ?? {}) as {
        keyArn?: unknown;
        alias?: unknown;
        created?: unknown;
      };
      if (typeof keyArn !== 'string' || typeof alias !== 'string' || !Array.isArray(created))
        continue;
      if (created.includes('alias')) aliased.add(keyArn);
      else if (created.includes('key') && ours.test(keyArn)) pending.set(alias, keyArn);
    }
  }
  for (const [alias, arn] of pending) if (aliased.has(arn)) pending.delete(alias);
  return pending;
}
