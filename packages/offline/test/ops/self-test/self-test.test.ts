import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash, createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { katAesCmac } from '../../../src/ops/self-test/aes-cmac.js';
import { katAesKeyWrap } from '../../../src/ops/self-test/aes-key-wrap.js';
import { katEd25519 } from '../../../src/ops/self-test/ed25519.js';
import { katHmac } from '../../../src/ops/self-test/hmac.js';
import { katKeyCheckValue } from '../../../src/ops/self-test/key-check-value.js';
import { materialKcv } from '../../../src/ops/material-kcv.js';
import { katRsaOaep } from '../../../src/ops/self-test/rsa-oaep.js';
import { runSelfTest } from '../../../src/ops/self-test/run-self-test.js';
import { katSha256 } from '../../../src/ops/self-test/sha256.js';
import { katShamir } from '../../../src/ops/self-test/shamir.js';
import {
  CMAC_VECTORS,
  ED25519_VECTORS,
  HMAC_VECTORS,
  KCV_VECTORS,
  KEY_WRAP_PAD_VECTORS,
  RSA_OAEP_VECTORS,
  SHA256_VECTORS,
  SHAMIR_VECTOR,
} from '../../../src/ops/self-test/vectors.js';
import { tempDir } from '../../helpers/run-cli.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/self-test/', import.meta.url));

/** The same hex with its last digit changed: one wrong bit or more. */
function corrupt(hex: string): string {
  const last = hex.at(-1) ?? '0';
  return `${hex.slice(0, -1)}${last === '0' ? '1' : '0'}`;
}

describe('byok-offline self-test', () => {
  it('passes on this machine, every family with its checks', async () => {
    const report = await runSelfTest();
    expect(report.results.map((r) => [r.family, r.failures])).toEqual(
      report.results.map((r) => [r.family, []]),
    );
    expect(report.passed).toBe(true);
    expect(report.results).toHaveLength(8);
    for (const r of report.results) expect(r.checks).toBeGreaterThan(0);
  });

  it('RSA-OAEP fails on a corrupted ciphertext or plaintext, naming the vector', () => {
    const [sha1, sha256] = RSA_OAEP_VECTORS.vectors;
    const bad = katRsaOaep({
      ...RSA_OAEP_VECTORS,
      vectors: [{ ...sha1!, ciphertext: corrupt(sha1!.ciphertext) }, sha256!],
    });
    expect(bad.failures).toEqual([expect.stringContaining(sha1!.name)]);
    const wrongPlaintext = katRsaOaep({
      ...RSA_OAEP_VECTORS,
      vectors: [sha1!, { ...sha256!, plaintext: corrupt(sha256!.plaintext) }],
    });
    expect(wrongPlaintext.failures).toEqual([`${sha256!.name}: wrong answer`]);
  });

  it('RFC 5649 fails on a corrupted KEK, key or wrapped value', () => {
    const [first, second] = KEY_WRAP_PAD_VECTORS;
    for (const field of ['kek', 'key', 'wrapped'] as const) {
      const r = katAesKeyWrap([{ ...first!, [field]: corrupt(first![field]) }, second!]);
      expect(r.failures.length, field).toBeGreaterThan(0);
      expect(r.failures.every((f) => f.startsWith(first!.name))).toBe(true);
    }
  });

  it('CMAC fails on a corrupted MAC or message', () => {
    const v = CMAC_VECTORS[2]!;
    expect(katAesCmac([{ ...v, mac: corrupt(v.mac) }]).failures).toEqual([
      `${v.name}: wrong answer`,
    ]);
    expect(katAesCmac([{ ...v, message: corrupt(v.message) }]).failures).toHaveLength(1);
  });

  it('HMAC fails for exactly the corrupted hash', () => {
    const v = HMAC_VECTORS[3]!;
    const r = katHmac([{ ...v, mac: { ...v.mac, sha384: corrupt(v.mac.sha384) } }]);
    expect(r.checks).toBe(4);
    expect(r.failures).toEqual([`${v.name} sha384: wrong answer`]);
  });

  it('key check values fail on a corrupted KCV or material, naming the vector', () => {
    const v = KCV_VECTORS[2]!;
    expect(katKeyCheckValue([{ ...v, kcv: corrupt(v.kcv) }]).failures).toEqual([
      `${v.name}: wrong answer`,
    ]);
    expect(katKeyCheckValue([{ ...v, material: corrupt(v.material) }]).failures).toHaveLength(1);
  });

  it('a broken KCV function fails the family: CMAC of the empty message, one hash for every HMAC, the private key hashed', () => {
    expect(katKeyCheckValue().failures).toEqual([]);
    const names = (spec: string): string[] =>
      KCV_VECTORS.filter((v) => v.keySpec.startsWith(spec)).map((v) => `${v.name}: wrong answer`);
    // AES-CMAC over no input at all, a plausible slip: the KCV's input is a block of zeros.
    const emptyCmac = (keySpec: Parameters<typeof materialKcv>[0], material: Buffer): string => {
      if (keySpec !== 'SYMMETRIC_DEFAULT') return materialKcv(keySpec, material);
      const mac = execFileSync(
        'openssl',
        ['mac', '-cipher', 'AES-256-CBC', '-macopt', `hexkey:${material.toString('hex')}`, 'CMAC'],
        { input: '' },
      );
      return mac.toString().trim().slice(0, 6).toUpperCase();
    };
    expect(katKeyCheckValue(KCV_VECTORS, emptyCmac).failures).toEqual(names('SYMMETRIC'));
    // AES-ECB of the zero block (the classic KCV of DES keys), not CMAC.
    const ecb = (keySpec: Parameters<typeof materialKcv>[0], material: Buffer): string => {
      if (keySpec !== 'SYMMETRIC_DEFAULT') return materialKcv(keySpec, material);
      const c = createCipheriv('aes-256-ecb', material, null).setAutoPadding(false);
      return c.update(Buffer.alloc(16)).subarray(0, 3).toString('hex').toUpperCase();
    };
    expect(katKeyCheckValue(KCV_VECTORS, ecb).failures).toEqual(names('SYMMETRIC'));
    // SHA-256 for every HMAC spec: only HMAC_256 still passes.
    const oneHash = (keySpec: Parameters<typeof materialKcv>[0], material: Buffer): string =>
      materialKcv(keySpec.startsWith('HMAC_') ? 'HMAC_256' : keySpec, material);
    expect(katKeyCheckValue(KCV_VECTORS, oneHash).failures).toEqual(
      names('HMAC_').filter((n) => !n.startsWith('HMAC_256')),
    );
    // The PKCS#8 bytes hashed instead of the public key.
    const privateHashed = (keySpec: Parameters<typeof materialKcv>[0], material: Buffer): string =>
      keySpec.startsWith('ECC_') || keySpec.startsWith('RSA_')
        ? createHash('sha256').update(material).digest('hex').slice(0, 6).toUpperCase()
        : materialKcv(keySpec, material);
    expect(katKeyCheckValue(KCV_VECTORS, privateHashed).failures).toEqual([
      ...names('ECC_'),
      ...names('RSA_'),
    ]);
  });

  it('Ed25519 fails on a corrupted signature, public key or message', () => {
    const v = ED25519_VECTORS[1]!;
    for (const field of ['signature', 'publicKey', 'message', 'secretKey'] as const) {
      expect(katEd25519([{ ...v, [field]: corrupt(v[field]) }]).failures, field).toHaveLength(1);
    }
  });

  it('SHA-256 fails, in both implementations, on a corrupted digest', () => {
    const v = SHA256_VECTORS[0]!;
    expect(katSha256([{ ...v, digest: corrupt(v.digest) }]).failures).toEqual([
      `${v.name}, shared: wrong answer`,
      `${v.name}, node:crypto: wrong answer`,
    ]);
  });

  it('SHA-256 of a repeated text is the hash of the whole, however the pieces fall', () => {
    // 5,461 copies of "abc" make a piece: 7,000 copies are a piece and a part of one; 5,461 one
    // piece exactly; 2 fewer copies than a piece, none whole.
    for (const repeat of [7_000, 5_461, 5_459, 1]) {
      const text = 'abc';
      const digest = createHash('sha256').update(text.repeat(repeat)).digest('hex');
      const v = { name: `abc x ${repeat}`, text, repeat, digest, nodeCryptoOnly: true } as const;
      expect(katSha256([v]).failures, String(repeat)).toEqual([]);
      expect(katSha256([{ ...v, repeat: repeat + 1 }]).failures, String(repeat)).toEqual([
        `${v.name}, node:crypto: wrong answer`,
      ]);
    }
    const million = SHA256_VECTORS.find((v) => v.repeat === 1_000_000)!;
    expect(katSha256([million]).failures).toEqual([]);
    expect(katSha256([{ ...million, digest: corrupt(million.digest) }]).failures).toHaveLength(1);
  });

  it('Shamir fails on a corrupted share or secret', async () => {
    const shares = [...SHAMIR_VECTOR.shares];
    shares[1] = corrupt(shares[1]!);
    const badShare = await katShamir({ ...SHAMIR_VECTOR, shares });
    // Exactly the 3-of-5 subsets that hold share 2.
    expect(badShare.failures).toHaveLength(6);
    expect(badShare.failures.every((f) => /shares (\d\+)*2\+/.test(f))).toBe(true);
    const badSecret = await katShamir({ ...SHAMIR_VECTOR, secret: corrupt(SHAMIR_VECTOR.secret) });
    expect(badSecret.failures).toHaveLength(10);
  });
});

describe('the RSA-OAEP vectors', () => {
  it('are the committed fixtures that make-rsa-oaep-vectors.sh wrote', () => {
    expect(readFileSync(join(FIXTURES, 'rsa-oaep-test-key.pem'), 'utf8')).toBe(
      RSA_OAEP_VECTORS.privateKeyPem,
    );
    for (const [v, name] of [
      [RSA_OAEP_VECTORS.vectors[0]!, 'rsa-oaep-sha1'],
      [RSA_OAEP_VECTORS.vectors[1]!, 'rsa-oaep-sha256'],
    ] as const) {
      expect(readFileSync(join(FIXTURES, `${name}.bin`)).toString('hex')).toBe(v.ciphertext);
      expect(readFileSync(join(FIXTURES, `${name}.msg`)).toString('hex')).toBe(v.plaintext);
    }
  });

  it('decrypt with openssl, an independent peer', () => {
    const dir = tempDir();
    for (const v of RSA_OAEP_VECTORS.vectors) {
      const input = join(dir, `${v.hash}.bin`);
      writeFileSync(input, Buffer.from(v.ciphertext, 'hex'));
      const plain = execFileSync('openssl', [
        'pkeyutl',
        '-decrypt',
        '-inkey',
        join(FIXTURES, 'rsa-oaep-test-key.pem'),
        '-in',
        input,
        '-pkeyopt',
        'rsa_padding_mode:oaep',
        '-pkeyopt',
        `rsa_oaep_md:${v.hash}`,
        '-pkeyopt',
        `rsa_mgf1_md:${v.hash}`,
      ]);
      expect(plain.toString('hex')).toBe(v.plaintext);
    }
  });
});

describe('the key check value vectors', () => {
  it('are what openssl computes, an independent peer', () => {
    const dir = tempDir();
    const zero = join(dir, 'zero.bin');
    writeFileSync(zero, Buffer.alloc(16));
    for (const v of KCV_VECTORS) {
      let full: string;
      if (v.keySpec === 'SYMMETRIC_DEFAULT' || v.keySpec.startsWith('HMAC_')) {
        const how =
          v.keySpec === 'SYMMETRIC_DEFAULT'
            ? ['-cipher', 'AES-256-CBC', '-macopt', `hexkey:${v.material}`, '-in', zero, 'CMAC']
            : [
                '-digest',
                `SHA${v.keySpec.slice(5)}`,
                '-macopt',
                `hexkey:${v.material}`,
                '-in',
                zero,
                'HMAC',
              ];
        full = execFileSync('openssl', ['mac', ...how])
          .toString()
          .trim();
      } else {
        const key = join(dir, `${v.keySpec}.der`);
        writeFileSync(
          key,
          v.material === 'rsa-oaep-test-key'
            ? createPrivateKey(RSA_OAEP_VECTORS.privateKeyPem).export({
                type: 'pkcs8',
                format: 'der',
              })
            : Buffer.from(v.material, 'hex'),
        );
        const spki = execFileSync('openssl', [
          'pkey',
          '-inform',
          'DER',
          '-in',
          key,
          '-pubout',
          '-outform',
          'DER',
        ]);
        full = execFileSync('sha256sum', { input: spki }).toString().slice(0, 64);
      }
      expect(full.slice(0, 6).toUpperCase(), v.name).toBe(v.kcv);
    }
  });

  it('the EC key is RFC 6979 A.2.5, its public point as the RFC gives it', () => {
    const v = KCV_VECTORS.find((k) => k.keySpec === 'ECC_NIST_P256')!;
    const jwk = createPrivateKey({
      key: Buffer.from(v.material, 'hex'),
      format: 'der',
      type: 'pkcs8',
    }).export({ format: 'jwk' });
    const hexOf = (b64url: string | undefined): string =>
      Buffer.from(b64url ?? '', 'base64url').toString('hex');
    expect(hexOf(jwk.d)).toBe('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
    expect(hexOf(jwk.x)).toBe('60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6');
    expect(hexOf(jwk.y)).toBe('7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299');
  });
});
