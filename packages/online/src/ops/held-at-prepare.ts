import type { LoggedAuditEntry } from '@byok-ceremony/node-io';
import { materialsHeldAt } from '@byok-ceremony/shared';

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
  return at < 0 ? undefined : materialsHeldAt(log, at);
}
