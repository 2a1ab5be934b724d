import type { AuditEntry } from './record.js';

/** Key ARN → every KeyMaterialId a log shows the key had. */
export type MaterialsHeld = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * What the keys of the prepare at `at` had when it ran: every material an earlier successful
 * entry of the log recorded for the key, and the CurrentKeyMaterialId the prepare put on record.
 * An import of new material that claims one of them imported nothing new. Used by the online tool
 * before it trusts a journal, and by `audit verify` after the fact, so both judge alike.
 */
export function materialsHeldAt(
  log: readonly { readonly entry: AuditEntry }[],
  at: number,
): MaterialsHeld {
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
  for (const key of log[at]?.entry.keys ?? []) add(key.keyArn, key.currentKeyMaterialId);
  return held;
}
