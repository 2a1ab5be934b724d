import { createHash } from 'node:crypto';
import {
  ByokError,
  materialSetDigest,
  parseMaterialSet,
  parseShareFile,
  zeroMaterialSet,
  type MaterialSet,
  type ShareFile,
} from '@byok-ceremony/shared';
import { nodeSha256 } from './node-sha256.js';

/** A share file as read: where it came from (for messages) and its text. */
export interface ShareInput {
  readonly source: string;
  readonly text: string;
}

function mismatch(message: string, hint: string): ByokError {
  return new ByokError('ERR_SHARES_MISMATCH', message, { hint });
}

function parseEach(inputs: readonly ShareInput[]): ShareFile[] {
  const parsed: ShareFile[] = [];
  try {
    for (const input of inputs) {
      try {
        parsed.push(parseShareFile(input.text, nodeSha256));
      } catch (error) {
        if (error instanceof ByokError)
          throw new ByokError(
            error.code,
            `${input.source}: ${error.message}`,
            error.hint === undefined ? {} : { hint: error.hint },
          );
        throw error;
      }
    }
  } catch (error) {
    for (const p of parsed) p.share.fill(0);
    throw error;
  }
  return parsed;
}

function coversText(share: ShareFile): string {
  return share.covers.map((c) => `${c.materialGroup}/${c.keySpec}/${c.kcv}`).join(',');
}

/** Refuses shares that do not belong together, before any arithmetic is done on them. */
function assertOneSplit(inputs: readonly ShareInput[], shares: readonly ShareFile[]): void {
  const first = shares[0]!;
  for (const [i, share] of shares.entries()) {
    if (share.ceremonyId !== first.ceremonyId)
      throw mismatch(
        `${inputs[i]!.source} is a share of ceremony ${share.ceremonyId}, but ${inputs[0]!.source} is of ceremony ${first.ceremonyId}`,
        'Give shares of one ceremony only; check the ceremony id on each share and its bag.',
      );
  }
  for (const [i, share] of shares.entries()) {
    if (
      share.setDigest !== first.setDigest ||
      share.splitId !== first.splitId ||
      share.count !== first.count ||
      share.threshold !== first.threshold ||
      coversText(share) !== coversText(first) ||
      share.share.length !== first.share.length
    )
      throw mismatch(
        `${inputs[i]!.source} and ${inputs[0]!.source} are shares of two different splits (split-id ${share.splitId} and ${first.splitId})`,
        'Shares of one split carry the same split-id; give only shares with the same split-id.',
      );
  }
  const byIndex = new Map<number, number>();
  const byX = new Map<number, number>();
  for (const [i, share] of shares.entries()) {
    const x = share.share[share.share.length - 1]!;
    const earlier = byIndex.get(share.index) ?? byX.get(x);
    if (earlier !== undefined)
      throw mismatch(
        `${inputs[i]!.source} is the same share as ${inputs[earlier]!.source} (share ${share.index} of ${share.count})`,
        'Each share counts once: give distinct shares.',
      );
    byIndex.set(share.index, i);
    byX.set(x, i);
  }
  if (shares.length < first.threshold)
    throw mismatch(
      `${shares.length} share(s) given, but this split needs ${first.threshold} of ${first.count}`,
      `Bring ${first.threshold} distinct shares of the split (split-id ${first.splitId}).`,
    );
}

/**
 * Refuses, before any prompt, shares that cannot be combined: a corrupted share (its check line),
 * shares of another ceremony or split, duplicates, fewer than the threshold. The shares are
 * zeroed at once; nothing is combined.
 */
export function assertSharesCombine(inputs: readonly ShareInput[]): void {
  if (inputs.length === 0) throw mismatch('no share given', 'Give the share files with --shares.');
  const shares = parseEach(inputs);
  try {
    assertOneSplit(inputs, shares);
  } finally {
    for (const s of shares) s.share.fill(0);
  }
}

/**
 * Rebuilds a material set from Shamir shares, in memory. Refuses a corrupted share (its check
 * line), shares of another ceremony or another split, duplicates and fewer than the threshold;
 * the result must hash to the set-digest every share carries, and its ceremony id and KCVs
 * must be the shares' labels. The caller checks the material itself (checkMaterialSet).
 */
export interface CombinedShares {
  readonly set: MaterialSet;
  readonly setDigest: string;
  readonly splitId: string;
  /** The labels of the shares combined, each with the SHA-256 of its share file's text. */
  readonly shares: readonly {
    readonly index: number;
    readonly count: number;
    readonly threshold: number;
    readonly sha256: string;
  }[];
}

export async function combineShares(inputs: readonly ShareInput[]): Promise<CombinedShares> {
  if (inputs.length === 0) throw mismatch('no share given', 'Give the share files with --shares.');
  // Loaded here: only recover from shares needs it.
  const { combine } = await import('shamir-secret-sharing');
  const shares = parseEach(inputs);
  let secret: Uint8Array | undefined;
  try {
    assertOneSplit(inputs, shares);
    const first = shares[0]!;
    secret = await combine(shares.map((s) => s.share));
    if (materialSetDigest(secret, nodeSha256) !== first.setDigest)
      throw mismatch(
        'the shares do not rebuild the material set they were split from: at least one share was altered (its check line recomputed)',
        'Try another subset of the shares to find the altered one, and record it as an exception.',
      );
    const set = parseMaterialSet(new TextDecoder('utf-8', { fatal: true }).decode(secret));
    const labels = first.covers.map((c) => `${c.materialGroup}/${c.keySpec}/${c.kcv}`).join(',');
    const actual = set.groups.map((g) => `${g.materialGroup}/${g.keySpec}/${g.kcv}`).join(',');
    if (set.ceremonyId !== first.ceremonyId || labels !== actual) {
      zeroMaterialSet(set);
      throw mismatch(
        'the rebuilt material set does not match the labels of its shares',
        'The shares were made by another tool or altered: do not import; record it as an exception.',
      );
    }
    return {
      set,
      setDigest: first.setDigest,
      splitId: first.splitId,
      // The digest the wrap that made the share recorded: the custody record names it.
      shares: shares.map((s, i) => ({
        index: s.index,
        count: s.count,
        threshold: s.threshold,
        sha256: createHash('sha256').update(inputs[i]!.text, 'latin1').digest('hex'),
      })),
    };
  } finally {
    secret?.fill(0);
    for (const s of shares) s.share.fill(0);
  }
}
