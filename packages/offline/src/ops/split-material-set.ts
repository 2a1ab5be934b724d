import { randomBytes } from 'node:crypto';
import {
  formatShareFile,
  materialSetDigest,
  serializeMaterialSetBytes,
  type MaterialSet,
  type ShareFile,
} from '@byok-ceremony/shared';
import { nodeSha256 } from './node-sha256.js';

export interface MaterialShares {
  /** SHA-256 of the set the shares split: the same on every share, recorded in the audit log. */
  readonly setDigest: string;
  /** Share files in index order: `{ index, name, text }`. */
  readonly files: readonly {
    readonly index: number;
    readonly name: string;
    readonly text: string;
  }[];
}

/** `share-1-of-3.txt`, … */
export function shareFileName(index: number, count: number): string {
  return `share-${index}-of-${count}.txt`;
}

/**
 * Splits a material set into `count` Shamir shares, any `threshold` of which rebuild it
 * (shamir-secret-sharing over GF(2^8), one polynomial per byte of the serialized set).
 */
export async function splitMaterialSet(
  set: MaterialSet,
  threshold: number,
  count: number,
): Promise<MaterialShares> {
  // Loaded here, before the secret exists: only a Shamir backup needs it.
  const { split } = await import('shamir-secret-sharing');
  const secret = serializeMaterialSetBytes(set);
  let shares: Uint8Array[] = [];
  try {
    const setDigest = materialSetDigest(secret, nodeSha256);
    const splitId = randomBytes(16).toString('hex');
    shares = await split(secret, count, threshold);
    const covers = set.groups.map((g) => ({
      materialGroup: g.materialGroup,
      keySpec: g.keySpec,
      kcv: g.kcv,
    }));
    const files = shares.map((share, i) => {
      const file: ShareFile = {
        ceremonyId: set.ceremonyId,
        setDigest,
        splitId,
        index: i + 1,
        count,
        threshold,
        covers,
        share,
      };
      return {
        index: i + 1,
        name: shareFileName(i + 1, count),
        text: formatShareFile(file, nodeSha256),
      };
    });
    return { setDigest, files };
  } finally {
    secret.fill(0);
    for (const share of shares) share.fill(0);
  }
}
