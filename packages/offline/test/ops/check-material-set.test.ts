import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkMaterialSet } from '../../src/ops/check-material-set.js';
import { materialSetFixture } from '../helpers/material-set-fixture.js';

describe('checkMaterialSet', () => {
  it('refuses a set whose KCV does not match its material', () => {
    const set = materialSetFixture(['SYMMETRIC_DEFAULT', 'HMAC_256']);
    const forged = { ...set, groups: [set.groups[0]!, { ...set.groups[1]!, kcv: '000000' }] };
    expect(() => checkMaterialSet(forged)).toThrow(
      /material group k2: the material's KCV is [0-9A-F]{6}, but the set records 000000/,
    );
  });

  it('refuses a PKCS#8 key of the wrong curve', () => {
    const set = materialSetFixture(['ECC_NIST_P256']);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({
      format: 'der',
      type: 'pkcs8',
    });
    const forged = { ...set, groups: [{ ...set.groups[0]!, material: p384 }] };
    expect(() => checkMaterialSet(forged)).toThrow(
      expect.objectContaining({
        code: 'ERR_MATERIAL_SET_INVALID',
        message: expect.stringMatching(/on secp384r1; ECC_NIST_P256 needs an EC key on prime256v1/),
      }),
    );
  });

  it('zeroes the material of the set it was given', () => {
    const set = materialSetFixture(['SYMMETRIC_DEFAULT']);
    const checked = checkMaterialSet(set);
    expect(set.groups[0]!.material.every((b) => b === 0)).toBe(true);
    expect(checked.groups[0]!.material.some((b) => b !== 0)).toBe(true);
  });
});
