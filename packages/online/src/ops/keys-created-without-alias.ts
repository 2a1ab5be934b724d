import type { LoggedAuditEntry } from '@byok-ceremony/node-io';
import { KMS_KEY_ARN, type CeremonyPlan } from '@byok-ceremony/shared';
import { regionOfArn } from './key-region.js';
import { accountOfArn } from './plan-keys-in-kms.js';

/** A key ARN of the plan's account and Region: what a logged key must be to be the plan's. */
function isPlanKeyArn(arn: string, plan: Pick<CeremonyPlan, 'account' | 'region'>): boolean {
  return (
    KMS_KEY_ARN.test(arn) && accountOfArn(arn) === plan.account && regionOfArn(arn) === plan.region
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
      else if (created.includes('key') && isPlanKeyArn(keyArn, plan.plan))
        pending.set(alias, keyArn);
    }
  }
  for (const [alias, arn] of pending) if (aliased.has(arn)) pending.delete(alias);
  return pending;
}
