import type { LoggedAuditEntry } from '@byok-ceremony/node-io';

/**
 * Plan keys this machine's log shows created by `prepare --plan` of the plan with `planDigest`
 * whose alias was never created (CreateAlias failed, or the run stopped in between): alias → key
 * ARN. KMS cannot find such a key by its alias, so without this a run again would create a second
 * key for the alias. The key found this way is still compared with the plan like any other.
 * The local log is read leniently (lines that do not parse are dropped): the shape is checked.
 */
export function keysCreatedWithoutAlias(
  log: readonly LoggedAuditEntry[],
  planDigest: string,
): ReadonlyMap<string, string> {
  const pending = new Map<string, string>();
  const aliased = new Set<string>();
  for (const { entry } of log) {
    if (entry.command !== 'prepare' || entry.plan?.digest !== planDigest) continue;
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
      else if (created.includes('key')) pending.set(alias, keyArn);
    }
  }
  for (const [alias, arn] of pending) if (aliased.has(arn)) pending.delete(alias);
  return pending;
}
