import type { LoggedAuditEntry } from '@byok-ceremony/node-io';

/**
 * Key ARN → every KeyMaterialId the key had when the request was prepared, as this machine's log
 * shows it; undefined when the log holds no prepare of the request, so nothing shows what it had.
 */
export type HeldAtPrepare = ReadonlyMap<string, ReadonlySet<string>> | undefined;

/**
 * What the keys of a request had when it was prepared: the CurrentKeyMaterialId that prepare put
 * on record, and every material an earlier successful entry of this log recorded for the key. An
 * import of new material that claims one of them imported nothing new.
 */
export function materialsHeldAtPrepare(
  log: readonly LoggedAuditEntry[],
  requestDigest: string,
): HeldAtPrepare {
  const at = log.findIndex(
    ({ entry }) =>
      entry.command === 'prepare' &&
      entry.outcome === 'ok' &&
      entry.outputs['request'] === requestDigest,
  );
  if (at < 0) return undefined;
  const held = new Map<string, Set<string>>();
  // A wrap raw entry names no key (keyArn null): it holds nothing of a key here.
  const add = (keyArn: string | null, keyMaterialId: string | undefined): void => {
    if (keyArn === null || keyMaterialId === undefined) return;
    const ids = held.get(keyArn) ?? new Set<string>();
    ids.add(keyMaterialId);
    held.set(keyArn, ids);
  };
  for (const { entry } of log.slice(0, at)) {
    if (entry.outcome !== 'ok') continue;
    for (const key of entry.keys) {
      add(key.keyArn, key.keyMaterialId);
      add(key.keyArn, key.currentKeyMaterialId);
    }
  }
  for (const key of log[at]!.entry.keys) add(key.keyArn, key.currentKeyMaterialId);
  return held;
}
