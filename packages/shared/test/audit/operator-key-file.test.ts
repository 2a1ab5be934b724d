import { describe, expect, it } from 'vitest';
import { ByokError } from '../../src/errors.js';
import {
  MAX_SCRYPT_COST,
  parseOperatorKeyFile,
  scryptMemoryBytes,
} from '../../src/audit/operator-key-file.js';

const B64_44 = Buffer.alloc(44, 1).toString('base64');

function keyFile(scrypt: { N: number; r: number; p: number }): unknown {
  return {
    format: 'byok-ceremony/operator-key',
    version: 1,
    name: 'ALICE',
    publicKey: B64_44,
    privateKey: {
      kdf: 'scrypt',
      ...scrypt,
      salt: Buffer.alloc(16, 2).toString('base64'),
      cipher: 'aes-256-gcm',
      iv: Buffer.alloc(12, 3).toString('base64'),
      ciphertext: Buffer.alloc(48, 4).toString('base64'),
      tag: Buffer.alloc(16, 5).toString('base64'),
    },
  };
}

function problemsOf(value: unknown): string[] {
  try {
    parseOperatorKeyFile(value, 'alice.key.json');
    return [];
  } catch (error) {
    return [...(error as ByokError).details];
  }
}

describe('parseOperatorKeyFile scrypt parameters', () => {
  it('accepts what keygen writes, and up to 4× its cost', () => {
    expect(MAX_SCRYPT_COST).toBe(4 * 2 ** 15 * 8);
    expect(problemsOf(keyFile({ N: 2 ** 15, r: 8, p: 1 }))).toEqual([]);
    expect(problemsOf(keyFile({ N: 2 ** 17, r: 8, p: 1 }))).toEqual([]);
    expect(problemsOf(keyFile({ N: 2 ** 16, r: 8, p: 2 }))).toEqual([]);
  });

  it('refuses a file asking for more memory than 4× keygen', () => {
    for (const scrypt of [
      { N: 2 ** 20, r: 16, p: 16 },
      { N: 2 ** 18, r: 8, p: 1 },
      { N: 2 ** 15, r: 16, p: 5 },
    ]) {
      const problems = problemsOf(keyFile(scrypt));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        /^operatorKey\.privateKey: scrypt N·r·p is \d+, above 1048576 \(4× what operator keygen writes\)/,
      );
    }
  });

  it('refuses what OpenSSL refuses: N not below 2^(16·r), N not a power of two', () => {
    expect(problemsOf(keyFile({ N: 2 ** 20, r: 1, p: 1 }))).toEqual([
      'operatorKey.privateKey.N: is 2^20, but scrypt needs N below 2^(16·r) = 2^16 for r = 1',
    ]);
    expect(problemsOf(keyFile({ N: 2 ** 16, r: 1, p: 1 }))).toHaveLength(1);
    expect(problemsOf(keyFile({ N: 2 ** 15, r: 1, p: 1 }))).toEqual([]);
    expect(problemsOf(keyFile({ N: 3 * 2 ** 14, r: 8, p: 1 }))).toEqual([
      'operatorKey.privateKey.N: must be a power of two from 2^14 to 2^20',
    ]);
    expect(scryptMemoryBytes({ N: 2 ** 15, r: 8, p: 1 })).toBe(128 * 8 * (2 ** 15 + 3));
  });

  it('says so with ERR_OPERATOR_KEY', () => {
    expect(() => parseOperatorKeyFile(keyFile({ N: 2 ** 20, r: 16, p: 16 }), 'k.json')).toThrow(
      expect.objectContaining({ code: 'ERR_OPERATOR_KEY' }),
    );
  });
});
