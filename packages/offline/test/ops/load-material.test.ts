import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMaterial } from '../../src/ops/load-material.js';
import { tempDir } from '../helpers/run-cli.js';

function openssl(...args: string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'ignore'] });
}

describe('loadMaterial', () => {
  it('accepts HMAC material within [minBytes, 128] and refuses outside, naming sizes only', () => {
    expect(loadMaterial(randomBytes(32), 'HMAC_256').length).toBe(32);
    expect(loadMaterial(randomBytes(128), 'HMAC_256').length).toBe(128);
    const short = randomBytes(31);
    expect(() => loadMaterial(short, 'HMAC_256')).toThrow(
      /has 31 bytes; HMAC_256 material is 32 to 128 raw bytes/,
    );
    expect(() => loadMaterial(randomBytes(129), 'HMAC_256')).toThrow(/has 129 bytes/);
  });

  it('re-exports SEC 1 EC PEM and PKCS#1 RSA PEM as PKCS#8 DER', () => {
    const dir = tempDir();
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', join(dir, 'ec.pem'));
    const ecPem = readFileSync(join(dir, 'ec.pem'));
    expect(ecPem.toString()).toContain('BEGIN EC PRIVATE KEY');
    const ec = loadMaterial(ecPem, 'ECC_NIST_P256');
    expect(
      createPrivateKey({ key: ec, format: 'der', type: 'pkcs8' }).asymmetricKeyDetails?.namedCurve,
    ).toBe('prime256v1');

    openssl('genrsa', '-traditional', '-out', join(dir, 'rsa.pem'), '2048');
    const rsaPem = readFileSync(join(dir, 'rsa.pem'));
    expect(rsaPem.toString()).toContain('BEGIN RSA PRIVATE KEY');
    const rsa = loadMaterial(rsaPem, 'RSA_2048');
    expect(
      createPrivateKey({ key: rsa, format: 'der', type: 'pkcs8' }).asymmetricKeyDetails
        ?.modulusLength,
    ).toBe(2048);
    expect(() => loadMaterial(rsaPem, 'RSA_3072')).toThrow(
      /RSA key of 2048 bits; RSA_3072 needs 3072 bits/,
    );
  });

  it('refuses multi-prime RSA keys', () => {
    const dir = tempDir();
    openssl(
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      'rsa_keygen_bits:2048',
      '-pkeyopt',
      'rsa_keygen_primes:3',
      '-out',
      join(dir, 'mp.pem'),
    );
    const pem = readFileSync(join(dir, 'mp.pem'));
    expect(pem.toString()).toContain('BEGIN PRIVATE KEY');
    expect(() => loadMaterial(pem, 'RSA_2048')).toThrow(
      /multi-prime RSA key; KMS imports two-prime RSA keys only/,
    );
    // A two-prime key of the same size passes the same check.
    openssl(
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      'rsa_keygen_bits:2048',
      '-out',
      join(dir, 'two.pem'),
    );
    expect(loadMaterial(readFileSync(join(dir, 'two.pem')), 'RSA_2048').length).toBeGreaterThan(
      1100,
    );
  });

  it('refuses garbage without quoting it', () => {
    const garbage = Buffer.from(
      '-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n',
    );
    let message = '';
    try {
      loadMaterial(garbage, 'ECC_NIST_P256');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/not a ECC_NIST_P256 private key \(\d+ bytes, PEM that is not/);
    expect(message).not.toContain('c2VjcmV0');
  });
});
