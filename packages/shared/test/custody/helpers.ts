import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { MaterialSet } from '../../src/custody/material-set.js';
import type { Sha256 } from '../../src/custody/share-file.js';

export const sha256: Sha256 = (d) => createHash('sha256').update(d).digest();

/** A throwaway set of two groups (the KCVs are not the material's: shared does not check them). */
export function sampleSet(): MaterialSet {
  return {
    ceremonyId: randomUUID(),
    createdAt: '2026-12-01T08:00:00.000Z',
    groups: [
      {
        materialGroup: 'k1',
        keySpec: 'SYMMETRIC_DEFAULT',
        keyArns: ['arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
        kcv: '1A2B3C',
        material: randomBytes(32),
      },
      {
        materialGroup: 'k2',
        keySpec: 'HMAC_256',
        keyArns: [
          'arn:aws:kms:eu-west-2:111122223333:key/mrk-0123456789abcdef0123456789abcdef',
          'arn:aws:kms:us-east-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef',
        ],
        kcv: 'ABCDEF',
        material: randomBytes(32),
      },
    ],
  };
}
