import { arnInRegion } from './replica-trust.js';

/** The parts of a described key that decide which keys share material. */
export interface GroupableKey {
  readonly arn: string;
  readonly multiRegion: boolean;
}

/**
 * One material group per key (`k1`, `k2`, … in order), except that the Regions of one
 * multi-Region key (the same ARN but for its Region: same partition, account and `mrk-` id)
 * share a group: they need the same material.
 */
export function assignMaterialGroups(keys: readonly GroupableKey[]): string[] {
  const groupOfMrk = new Map<string, string>();
  let next = 1;
  return keys.map((key) => {
    const anyRegion = arnInRegion(key.arn, '');
    if (key.multiRegion) {
      const existing = groupOfMrk.get(anyRegion);
      if (existing !== undefined) return existing;
    }
    const group = `k${next++}`;
    if (key.multiRegion) groupOfMrk.set(anyRegion, group);
    return group;
  });
}
