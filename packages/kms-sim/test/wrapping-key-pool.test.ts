import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WrappingKeySpec } from '@byok-ceremony/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { WrappingKeyPool } from '../src/crypto/wrapping-key-pool.js';
import type { WrappingKeyPair } from '../src/crypto/wrapping-key-pool.js';
import { readWrappingKeyPoolFile } from '../src/crypto/wrapping-key-pool-file.js';
import { FIXTURE_WRAPPING_KEY_POOL, tempDir } from './helpers.js';

/** A generator whose calls the test completes by hand, counting how many run at once. */
function manualGenerator() {
  const pending: { spec: WrappingKeySpec; resolve: (pair: WrappingKeyPair) => void }[] = [];
  let made = 0;
  const generate = (spec: WrappingKeySpec) =>
    new Promise<WrappingKeyPair>((resolve) => {
      pending.push({ spec, resolve });
    });
  const finish = (count = pending.length) => {
    for (const job of pending.splice(0, count)) {
      made += 1;
      job.resolve({
        publicKeyDer: Buffer.from(`public-${job.spec}-${made}`),
        privateKeyDer: Buffer.from(`private-${job.spec}-${made}`),
      });
    }
  };
  return { generate, pending, finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the wrapping key pool', () => {
  it('generates one per core at a time, serves waiting requests first and grows when requests wait', async () => {
    const gen = manualGenerator();
    const pool = new WrappingKeyPool({
      enabled: true,
      size: 8,
      parallelism: 2,
      generate: gen.generate,
    });
    pool.warm('RSA_2048');
    expect(gen.pending).toHaveLength(2); // two cores, target 2
    gen.finish();
    await settle();
    expect(gen.pending).toHaveLength(0); // the target is ready
    const a = await pool.take('RSA_2048');
    const b = await pool.take('RSA_2048');
    expect(a.publicKeyDer.equals(b.publicKeyDer)).toBe(false);
    await settle();
    expect(gen.pending).toHaveLength(2); // refilling, never more than the cores
    // A burst of five requests: they wait, the target doubles, generation stays at two at once.
    const burst = Array.from({ length: 5 }, () => pool.take('RSA_2048'));
    for (let round = 0; round < 6; round += 1) {
      expect(gen.pending.length).toBeLessThanOrEqual(2);
      gen.finish();
      await settle();
    }
    const served = await Promise.all(burst);
    expect(new Set(served.map((pair) => pair.publicKeyDer.toString())).size).toBe(5);
    // After waiting requests the pool keeps more ready than it started with.
    for (let round = 0; round < 8; round += 1) {
      gen.finish();
      await settle();
    }
    const ready = [];
    for (let i = 0; i < 8; i += 1) ready.push(await pool.take('RSA_2048'));
    expect(gen.pending.length).toBeLessThanOrEqual(2);
    expect(ready.every((pair) => pair.publicKeyDer.toString().startsWith('public-RSA_2048'))).toBe(
      true,
    );
    pool.close();
  });

  it('serves seeded pairs first, each once, then generates', async () => {
    const gen = manualGenerator();
    const seededPair = {
      publicKeyDer: Buffer.from('seed-public'),
      privateKeyDer: Buffer.from('seed-private'),
    };
    const pool = new WrappingKeyPool({
      enabled: false,
      generate: gen.generate,
      seeded: new Map([['RSA_4096', [seededPair]]]),
    });
    const first = await pool.take('RSA_4096');
    expect(first.publicKeyDer.toString()).toBe('seed-public');
    first.privateKeyDer.fill(0);
    expect(seededPair.privateKeyDer.toString()).toBe('seed-private');
    const second = pool.take('RSA_4096');
    expect(gen.pending).toHaveLength(1);
    gen.finish();
    expect((await second).publicKeyDer.toString()).toMatch(/^public-RSA_4096/);
    pool.close();
  });

  it('with reuseSeeded, serves the seeded pairs again in turn and generates none', async () => {
    const gen = manualGenerator();
    const pair = (n: number) => ({
      publicKeyDer: Buffer.from(`seed-public-${n}`),
      privateKeyDer: Buffer.from(`seed-private-${n}`),
    });
    const pool = new WrappingKeyPool({
      enabled: true,
      generate: gen.generate,
      seeded: new Map([['RSA_2048', [pair(1), pair(2)]]]),
      reuseSeeded: true,
    });
    const served: string[] = [];
    for (let i = 0; i < 5; i++) {
      const taken = await pool.take('RSA_2048');
      served.push(taken.publicKeyDer.toString());
      // Each answer has its own buffers: zeroing one leaves the next turn intact.
      taken.privateKeyDer.fill(0);
    }
    expect(served).toEqual([1, 2, 1, 2, 1].map((n) => `seed-public-${n}`));
    expect((await pool.take('RSA_2048')).privateKeyDer.toString()).toBe('seed-private-2');
    expect(gen.pending).toHaveLength(0);
    pool.close();
  });
});

describe('wrapping key pool files', () => {
  const temp = tempDir();
  afterAll(() => {
    temp.cleanup();
  });

  it("reads the repository's fixture pool, every key of its declared size", () => {
    const pools = readWrappingKeyPoolFile(FIXTURE_WRAPPING_KEY_POOL);
    for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const) {
      const pairs = pools.get(spec)!;
      expect(pairs.length).toBeGreaterThanOrEqual(16);
      for (const pair of pairs.slice(0, 2)) {
        const key = createPublicKey({ key: pair.publicKeyDer, format: 'der', type: 'spki' });
        expect(key.asymmetricKeyDetails?.modulusLength).toBe(Number(spec.slice(4)));
      }
    }
  });

  it('refuses a key whose size is not its spec, and files that are not pool files', () => {
    const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'der', type: 'pkcs8' })
      .toString('base64');
    const file = join(temp.dir, 'pool.json');
    const write = (value: unknown) => {
      writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    };
    write({
      format: 'byok-kms-sim-wrapping-key-pool/1',
      keys: [{ spec: 'RSA_4096', privateKeyPkcs8: rsa2048 }],
    });
    expect(() => readWrappingKeyPoolFile(file)).toThrow(
      /keys\[0\] is not an RSA_4096 private key with exponent 65537 in PKCS#8/,
    );
    write({ format: 'other', keys: [] });
    expect(() => readWrappingKeyPoolFile(file)).toThrow(
      /format is not byok-kms-sim-wrapping-key-pool\/1/,
    );
    write('not json');
    expect(() => readWrappingKeyPoolFile(file)).toThrow(/not JSON/);
    expect(() => readWrappingKeyPoolFile(join(temp.dir, 'missing.json'))).toThrow(
      expect.objectContaining({ code: 'ERR_INPUT_FILE' }),
    );
  });
});
