import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aesKeyUnwrapPad, aesKeyWrapPad } from '../../src/crypto/aes-key-wrap-pad.js';
import { generateKeyMaterial } from '../../src/crypto/generate-key-material.js';

describe('generateKeyMaterial', () => {
  it('generates material of the size and kind each spec needs', () => {
    expect(generateKeyMaterial('SYMMETRIC_DEFAULT').length).toBe(32);
    expect(generateKeyMaterial('HMAC_384').length).toBe(48);
    const ec = createPrivateKey({
      key: generateKeyMaterial('ECC_SECG_P256K1'),
      format: 'der',
      type: 'pkcs8',
    });
    expect(ec.asymmetricKeyDetails?.namedCurve).toBe('secp256k1');
    const rsa = createPrivateKey({
      key: generateKeyMaterial('RSA_2048'),
      format: 'der',
      type: 'pkcs8',
    });
    expect(rsa.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
    expect(generateKeyMaterial('SYMMETRIC_DEFAULT')).not.toEqual(
      generateKeyMaterial('SYMMETRIC_DEFAULT'),
    );
    expect(() => generateKeyMaterial('ML_DSA_44')).toThrow(/does not accept imported material/);
  });
});

describe('AES key wrap with padding (RFC 5649)', () => {
  it('matches OpenSSL, and refuses a wrapped blob that was altered', () => {
    const kek = randomBytes(32);
    const material = randomBytes(45);
    const wrapped = aesKeyWrapPad(kek, material);
    expect(wrapped.length).toBe(56);
    // OpenSSL's id-aes256-wrap-pad with RFC 5649's IV, as the AWS procedure runs it.
    const dir = mkdtempSync(join(tmpdir(), 'byok-kwp-'));
    try {
      writeFileSync(join(dir, 'material.bin'), material);
      const byOpenssl = execFileSync('openssl', [
        'enc',
        '-id-aes256-wrap-pad',
        '-K',
        kek.toString('hex'),
        '-iv',
        'A65959A6',
        '-in',
        join(dir, 'material.bin'),
      ]);
      expect(byOpenssl).toEqual(wrapped);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(aesKeyUnwrapPad(kek, wrapped)).toEqual(material);
    const altered = Buffer.from(wrapped);
    altered[10]! ^= 1;
    expect(() => aesKeyUnwrapPad(kek, altered)).toThrow();
  });
});
