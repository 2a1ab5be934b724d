import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseOperatorKeyFile,
  parseOperatorPublicKey,
  scryptProblems,
} from '../../src/audit/operator-key-file.js';
import { parseStrictJson } from '../../src/encoding/strict-json.js';
import { acceptedOrRefused, check, hostileValue, mutationsOf } from './properties.js';

const b64 = (n: number) =>
  fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('base64'));

/** Key files as keygen writes them, with any valid parameters and random key bytes. */
const validKeyFile = fc.record({
  format: fc.constant('byok-ceremony/operator-key'),
  version: fc.constant(1),
  // Valid names as the operator-name rule has them: no leading, trailing or repeated spaces.
  name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9.'_@-]{0,14}( [A-Za-z0-9.'_@-]{1,14})?$/),
  publicKey: b64(44),
  privateKey: fc.record({
    kdf: fc.constant('scrypt'),
    N: fc.constantFrom(2 ** 14, 2 ** 15, 2 ** 16, 2 ** 17),
    r: fc.constant(8),
    p: fc.constant(1),
    salt: b64(16),
    cipher: fc.constant('aes-256-gcm'),
    iv: b64(12),
    ciphertext: b64(48),
    tag: b64(16),
  }),
});

describe('operator key files (fuzz)', () => {
  it('round-trip: a valid file read back from its JSON is the same file', () => {
    check(validKeyFile, (file) => {
      const read = parseOperatorKeyFile(parseStrictJson(JSON.stringify(file)), 'k.json');
      expect(read).toStrictEqual(JSON.parse(JSON.stringify(file)));
      expect(parseOperatorPublicKey(read, 'k.json')).toMatchObject({
        name: file.name,
        publicKey: file.publicKey,
      });
    });
  });

  it('refuses any mutation with ERR_OPERATOR_KEY and a hint, never another error', () => {
    const sample = fc.sample(validKeyFile, { numRuns: 1, seed: 1 })[0]!;
    check(mutationsOf(sample), (doc) => {
      acceptedOrRefused(() => parseOperatorKeyFile(doc, 'k.json'), ['ERR_OPERATOR_KEY']);
      acceptedOrRefused(() => parseOperatorPublicKey(doc, 'k.json'), ['ERR_OPERATOR_KEY']);
    });
    check(hostileValue, (doc) => {
      acceptedOrRefused(() => parseOperatorKeyFile(doc, 'k.json'), ['ERR_OPERATOR_KEY']);
    });
  });

  it('accepts exactly the scrypt parameters OpenSSL accepts within the bounds', () => {
    const params = fc.record({
      N: fc.oneof(
        fc.integer({ min: 0, max: 2 ** 21 }),
        fc.integer({ min: 1, max: 21 }).map((e) => 2 ** e),
      ),
      r: fc.integer({ min: 1, max: 16 }),
      p: fc.integer({ min: 1, max: 16 }),
    });
    check(params, ({ N, r, p }) => {
      const ok = scryptProblems({ N, r, p }).length === 0;
      const openssl =
        N >= 2 &&
        (N & (N - 1)) === 0 &&
        N < 2 ** (16 * r) &&
        128 * r * (N + 2 + p) <= 256 * 2 ** 20;
      expect(ok).toBe(openssl && N >= 2 ** 14 && N <= 2 ** 20);
    });
  });
});
