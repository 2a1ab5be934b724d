import { randomUUID } from 'node:crypto';
import type { KeySpec, MaterialSet } from '@byok-ceremony/shared';
import { generateKeyMaterial as generateMaterial } from '@byok-ceremony/node-io/key-material';
import { materialKcv } from '../../src/ops/material-kcv.js';

const ACCOUNT_ARN = 'arn:aws:kms:eu-west-2:111122223333:key/';

/** A throwaway material set with real material and KCVs: one group per key spec given. */
export function materialSetFixture(
  specs: readonly KeySpec[] = ['SYMMETRIC_DEFAULT', 'HMAC_256', 'ECC_NIST_P256'],
): MaterialSet {
  return {
    ceremonyId: randomUUID(),
    createdAt: '2026-12-01T08:00:00.000Z',
    groups: specs.map((keySpec, i) => {
      const material = generateMaterial(keySpec);
      return {
        materialGroup: `k${i + 1}`,
        keySpec,
        keyArns: [`${ACCOUNT_ARN}${randomUUID()}`],
        kcv: materialKcv(keySpec, material),
        material,
      };
    }),
  };
}

/** Every subset of `items` with exactly `size` members. */
export function subsets<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  if (items.length < size) return [];
  const [head, ...rest] = items;
  return [...subsets(rest, size - 1).map((s) => [head!, ...s]), ...subsets(rest, size)];
}
