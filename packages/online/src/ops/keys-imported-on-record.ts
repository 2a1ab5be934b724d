import type { LoggedAuditEntry } from '@byok-ceremony/node-io';

/**
 * Keys this machine's log shows holding imported material: an import entry that recorded the key
 * in a state other than PendingImport, whatever the command's outcome (a failed proof comes after
 * KMS took the material). For HMAC and asymmetric keys KMS cannot tell a key never imported from
 * one whose material was deleted or expired; this log can.
 */
export function keysImportedOnRecord(log: readonly LoggedAuditEntry[]): ReadonlySet<string> {
  const arns = new Set<string>();
  for (const { entry } of log) {
    if (entry.command !== 'import') continue;
    // The local log is read leniently (lines that do not parse are dropped): check the shape.
    const keys: readonly unknown[] = Array.isArray(entry.keys) ? entry.keys : [];
    for (const key of keys) {
      const { keyArn, keyState } = (key ?? {}) as { keyArn?: unknown; keyState?: unknown };
      if (
        typeof keyArn === 'string' &&
        typeof keyState === 'string' &&
        keyState !== 'PendingImport'
      )
        arns.add(keyArn);
    }
  }
  return arns;
}
