import { describe, expect, it } from 'vitest';
import {
  KEY_SPECS,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  checkWrappingCombination,
  defaultWrappingAlgorithm,
  oaepCapacity,
} from '../src/kms/rules.js';

describe('KMS rules table', () => {
  it('computes RSA-OAEP capacity as k - 2hLen - 2', () => {
    expect(oaepCapacity('RSA_2048', 'sha256')).toBe(190);
    expect(oaepCapacity('RSA_2048', 'sha1')).toBe(214);
    expect(oaepCapacity('RSA_4096', 'sha256')).toBe(446);
  });

  it('follows the documented matrix', () => {
    const allowed = (
      spec: (typeof KEY_SPECS)[number],
      alg: (typeof WRAPPING_ALGORITHMS)[number],
      wks: (typeof WRAPPING_KEY_SPECS)[number],
    ) => checkWrappingCombination(spec, alg, wks).allowed;
    expect(allowed('SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_256', 'RSA_2048')).toBe(true);
    expect(allowed('SYMMETRIC_DEFAULT', 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_4096')).toBe(false);
    expect(allowed('HMAC_512', 'RSAES_OAEP_SHA_1', 'RSA_2048')).toBe(true);
    expect(allowed('RSA_2048', 'RSAES_OAEP_SHA_256', 'RSA_4096')).toBe(false);
    expect(allowed('RSA_4096', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_2048')).toBe(true);
    expect(allowed('ECC_NIST_P521', 'RSAES_OAEP_SHA_256', 'RSA_2048')).toBe(false);
    expect(allowed('ECC_NIST_P521', 'RSAES_OAEP_SHA_1', 'RSA_2048')).toBe(false);
    expect(allowed('ECC_NIST_P521', 'RSAES_OAEP_SHA_256', 'RSA_3072')).toBe(true);
    expect(allowed('ECC_NIST_P384', 'RSAES_OAEP_SHA_256', 'RSA_2048')).toBe(true);
    expect(allowed('ECC_NIST_P521', 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048')).toBe(true);
    for (const alg of WRAPPING_ALGORITHMS)
      expect(allowed('ML_DSA_65', alg, 'RSA_4096')).toBe(false);
  });

  it('defaults to OAEP where it can carry the material and AES key wrap otherwise', () => {
    expect(defaultWrappingAlgorithm('SYMMETRIC_DEFAULT', 'RSA_4096')).toBe('RSAES_OAEP_SHA_256');
    expect(defaultWrappingAlgorithm('ECC_NIST_P256', 'RSA_4096')).toBe('RSAES_OAEP_SHA_256');
    expect(defaultWrappingAlgorithm('ECC_NIST_P521', 'RSA_2048')).toBe('RSA_AES_KEY_WRAP_SHA_256');
    expect(defaultWrappingAlgorithm('RSA_3072', 'RSA_4096')).toBe('RSA_AES_KEY_WRAP_SHA_256');
    expect(defaultWrappingAlgorithm('SM2', 'RSA_4096')).toBeUndefined();
  });
});
