import { describe, expect, it } from 'vitest';
import { formatShareFile, parseShareFile, serializeMaterialSet } from '@byok-ceremony/shared';
import { combineShares, type ShareInput } from '../../src/ops/combine-shares.js';
import { checkMaterialSet } from '../../src/ops/check-material-set.js';
import { nodeSha256 } from '../../src/ops/node-sha256.js';
import { splitMaterialSet } from '../../src/ops/split-material-set.js';
import { materialSetFixture, subsets } from '../helpers/material-set-fixture.js';

async function failure(inputs: readonly ShareInput[]): Promise<{ code: string; message: string }> {
  try {
    await combineShares(inputs);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('combined');
}

const inputsOf = (files: readonly { name: string; text: string }[]): ShareInput[] =>
  files.map((f) => ({ source: f.name, text: f.text }));

describe('Shamir shares of a material set', () => {
  it('2-of-3: every pair and the three together rebuild the set, KCVs checked', async () => {
    const set = materialSetFixture();
    const expected = serializeMaterialSet(set);
    const { files, setDigest } = await splitMaterialSet(set, 2, 3);
    expect(files.map((f) => f.name)).toEqual([
      'share-1-of-3.txt',
      'share-2-of-3.txt',
      'share-3-of-3.txt',
    ]);
    expect(files[0]!.text).toContain(`set-digest: ${setDigest}`);
    expect(files[0]!.text).toContain(`covers: k3 ECC_NIST_P256 KCV ${set.groups[2]!.kcv}`);
    for (const subset of [...subsets(files, 2), files]) {
      const rebuilt = checkMaterialSet((await combineShares(inputsOf(subset))).set);
      expect(serializeMaterialSet(rebuilt)).toBe(expected);
    }
  });

  it('3-of-5: every qualifying subset rebuilds it, every pair is refused', async () => {
    const set = materialSetFixture(['SYMMETRIC_DEFAULT']);
    const expected = serializeMaterialSet(set);
    const { files } = await splitMaterialSet(set, 3, 5);
    for (const size of [3, 4, 5])
      for (const subset of subsets(files, size))
        expect(serializeMaterialSet((await combineShares(inputsOf(subset))).set)).toBe(expected);
    for (const pair of subsets(files, 2)) {
      const error = await failure(inputsOf(pair));
      expect(error.code).toBe('ERR_SHARES_MISMATCH');
      expect(error.message).toBe('2 share(s) given, but this split needs 3 of 5');
    }
  });

  it('refuses a duplicated share, another ceremony, another split and a corrupted share', async () => {
    const set = materialSetFixture(['SYMMETRIC_DEFAULT']);
    const { files } = await splitMaterialSet(set, 2, 3);
    const other = await splitMaterialSet(materialSetFixture(['SYMMETRIC_DEFAULT']), 2, 3);
    const again = await splitMaterialSet(set, 2, 3);

    const dup = await failure([
      { source: 'a.txt', text: files[0]!.text },
      { source: 'b.txt', text: files[0]!.text },
    ]);
    expect(dup.message).toMatch(/b\.txt is the same share as a\.txt/);

    const foreign = await failure([...inputsOf([files[0]!]), ...inputsOf([other.files[1]!])]);
    expect(foreign.message).toMatch(/is a share of ceremony .* but .* is of ceremony/);

    // Same ceremony, split twice: shares of the two splits must not be mixed.
    const mixed = await failure([
      ...inputsOf([files[0]!]),
      { source: 'again', text: again.files[1]!.text },
    ]);
    expect(mixed.code).toBe('ERR_SHARES_MISMATCH');
    expect(mixed.message).toMatch(
      /are shares of two different splits \(split-id [0-9a-f]{32} and [0-9a-f]{32}\)/,
    );

    const lines = files[1]!.text.split('\n');
    const dataLine = lines.findIndex((l) => l === 'data:') + 1;
    lines[dataLine] = (lines[dataLine]![0] === 'A' ? 'B' : 'A') + lines[dataLine]!.slice(1);
    const corrupted = await failure([
      ...inputsOf([files[0]!]),
      { source: 'share-2-of-3.txt', text: lines.join('\n') },
    ]);
    expect(corrupted.code).toBe('ERR_SHARE_INVALID');
    expect(corrupted.message).toMatch(/^share-2-of-3\.txt: the share file fails its check/);
  });

  it('catches an altered share whose check line was recomputed, by the set digest', async () => {
    const set = materialSetFixture(['HMAC_256']);
    const { files } = await splitMaterialSet(set, 2, 3);
    const parsed = parseShareFile(files[1]!.text, nodeSha256);
    parsed.share[0]! ^= 1;
    const forged = formatShareFile(parsed, nodeSha256);
    const error = await failure([...inputsOf([files[0]!]), { source: 'forged', text: forged }]);
    expect(error.code).toBe('ERR_SHARES_MISMATCH');
    expect(error.message).toMatch(/do not rebuild the material set/);
  });
});
