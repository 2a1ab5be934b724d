/**
 * Whether two KMS key ARNs name the same key or replicas of one multi-Region key (same
 * partition, account and `mrk-` key id; the Region may differ).
 */
export function isSameKeyOrReplica(a: string, b: string): boolean {
  if (a === b) return true;
  const pa = a.split(':');
  const pb = b.split(':');
  if (pa.length !== 6 || pb.length !== 6) return false;
  const [, partA, , , accountA, keyA] = pa;
  const [, partB, , , accountB, keyB] = pb;
  return partA === partB && accountA === accountB && keyA === keyB && keyA!.startsWith('key/mrk-');
}
