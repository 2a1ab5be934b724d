import { execFileSync } from 'node:child_process';
import { createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { materialKcv } from '../../src/ops/material-kcv.js';
import { parseWrappingKey } from '../../src/ops/parse-wrapping-key.js';
import { wrapKeyMaterial } from '../../src/ops/wrap-key-material.js';
import { tempDir } from '../helpers/run-cli.js';

/** OpenSSL, not node:crypto, decrypts what node:crypto wrapped. */
describe('wrapKeyMaterial against OpenSSL', () => {
  let dir: string;
  let privatePem: string;
  let publicKey: ReturnType<typeof createPublicKey>;

  beforeAll(() => {
    dir = tempDir();
    privatePem = join(dir, 'wrapping.pem');
    execFileSync(
      'openssl',
      ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', privatePem],
      { stdio: 'ignore' },
    );
    const spki = execFileSync('openssl', ['pkey', '-in', privatePem, '-pubout', '-outform', 'DER']);
    publicKey = parseWrappingKey(spki, 'RSA_2048', 'test key').key;
  });

  function opensslOaepDecrypt(data: Buffer, hash: 'sha1' | 'sha256'): Buffer {
    const input = join(dir, `in-${randomBytes(4).toString('hex')}.bin`);
    writeFileSync(input, data);
    return execFileSync(
      'openssl',
      [
        'pkeyutl',
        '-decrypt',
        '-inkey',
        privatePem,
        '-in',
        input,
        '-pkeyopt',
        'rsa_padding_mode:oaep',
        '-pkeyopt',
        `rsa_oaep_md:${hash}`,
        '-pkeyopt',
        `rsa_mgf1_md:${hash}`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
  }

  for (const [algorithm, hash] of [
    ['RSAES_OAEP_SHA_256', 'sha256'],
    ['RSAES_OAEP_SHA_1', 'sha1'],
  ] as const) {
    it(`${algorithm}: openssl pkeyutl -decrypt with ${hash} recovers the material`, () => {
      const material = randomBytes(32);
      const blob = wrapKeyMaterial(material, publicKey, algorithm);
      expect(blob.length).toBe(256);
      expect(opensslOaepDecrypt(blob, hash).equals(material)).toBe(true);
      // The other hash must fail: the hash is really part of the wrapping.
      expect(() => opensslOaepDecrypt(blob, hash === 'sha1' ? 'sha256' : 'sha1')).toThrow();
    });
  }

  for (const [algorithm, hash] of [
    ['RSA_AES_KEY_WRAP_SHA_256', 'sha256'],
    ['RSA_AES_KEY_WRAP_SHA_1', 'sha1'],
  ] as const) {
    it(`${algorithm}: OAEP(AES key) || KWP(material) unwraps with openssl pkeyutl and enc -id-aes256-wrap-pad`, () => {
      const material = randomBytes(121); // not a multiple of 8, so KWP padding is exercised
      const blob = wrapKeyMaterial(material, publicKey, algorithm);
      expect(blob.length).toBe(256 + 128 + 8);
      const aesKey = opensslOaepDecrypt(blob.subarray(0, 256), hash);
      expect(aesKey.length).toBe(32);
      const wrapped = join(dir, `kwp-${algorithm}.bin`);
      writeFileSync(wrapped, blob.subarray(256));
      const unwrapped = execFileSync('openssl', [
        'enc',
        '-d',
        '-id-aes256-wrap-pad',
        '-K',
        aesKey.toString('hex'),
        '-iv',
        'A65959A6',
        '-in',
        wrapped,
      ]);
      expect(unwrapped.equals(material)).toBe(true);
    });
  }

  it('two wrappings of the same material differ (fresh OAEP seed and AES key)', () => {
    const material = randomBytes(32);
    expect(
      wrapKeyMaterial(material, publicKey, 'RSA_AES_KEY_WRAP_SHA_256').equals(
        wrapKeyMaterial(material, publicKey, 'RSA_AES_KEY_WRAP_SHA_256'),
      ),
    ).toBe(false);
  });

  it('symmetric KCV equals OpenSSL AES-256 CMAC over 16 zero bytes, first 3 bytes', () => {
    const material = randomBytes(32);
    const zero = join(dir, 'zero.bin');
    writeFileSync(zero, Buffer.alloc(16));
    const cmac = execFileSync('openssl', [
      'mac',
      '-cipher',
      'AES-256-CBC',
      '-macopt',
      `hexkey:${material.toString('hex')}`,
      '-in',
      zero,
      'CMAC',
    ])
      .toString()
      .trim();
    expect(materialKcv('SYMMETRIC_DEFAULT', material)).toBe(cmac.slice(0, 6).toUpperCase());
    expect(readFileSync(zero).length).toBe(16);
  });
});
