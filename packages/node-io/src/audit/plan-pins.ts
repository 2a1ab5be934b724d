import { createHash } from 'node:crypto';
import type { AuditChainResult, PinnedOperatorKey, PlanOperator } from '@byok-ceremony/shared';

/**
 * The operator keys a plan pins, as verify needs them: the plan holds each operator's key
 * fingerprint, the log entries the public keys their signatures were made with; an operator is
 * pinned to the key whose fingerprint the plan gives. An operator whose key signed nothing in
 * the logs gets no pin, so `audit verify` reports each wrap and import they took part in as
 * unpinned; a key with another fingerprint under the operator's name pins nothing either.
 */
export function pinsFromPlan(
  operators: readonly PlanOperator[],
  chains: readonly AuditChainResult[],
  source: string,
): PinnedOperatorKey[] {
  const keys = new Set<string>();
  for (const chain of chains)
    for (const entry of chain.entries)
      for (const signature of entry.entry.signatures ?? []) keys.add(signature.publicKey);
  const byFingerprint = new Map<string, string>();
  for (const key of keys)
    byFingerprint.set(createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex'), key);
  return operators.flatMap((o) => {
    const publicKey = byFingerprint.get(o.operatorKey);
    return publicKey === undefined ? [] : [{ operator: o.name, publicKey, source }];
  });
}
