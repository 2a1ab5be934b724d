import { describe, expect, it } from 'vitest';
import {
  CHECK_CODE_BITS,
  checkCodeOf,
  checkCodesMatch,
  normalizeCheckCode,
} from '../src/check-code/check-code.js';
import { codeDifference } from '../src/check-code/code-difference.js';
import { assertCheckCodesConfirmed, assertOperators } from '../src/check-code/confirm.js';
import { ByokError } from '../src/errors.js';

const DIGEST = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('checkCodeOf', () => {
  it('renders 100 bits as five groups of four Crockford base32 characters', () => {
    expect(CHECK_CODE_BITS).toBeGreaterThanOrEqual(80);
    const code = checkCodeOf(DIGEST);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    // 0xba78 16bf 8f.. → 10111 01001 11100 00001 = Q 9 W 1
    expect(code.startsWith('Q9W1')).toBe(true);
  });

  it('changes when any of the first 100 bits of the digest changes', () => {
    const base = checkCodeOf(DIGEST);
    for (let bit = 0; bit < 100; bit++) {
      const bytes = Buffer.from(DIGEST, 'hex');
      bytes[bit >> 3]! ^= 0x80 >> (bit & 7);
      expect(checkCodeOf(bytes.toString('hex'))).not.toBe(base);
    }
  });
});

describe('normalizeCheckCode / checkCodesMatch', () => {
  const code = checkCodeOf(DIGEST);
  it('accepts what people type: lower case, spaces, no dashes, O for 0 and I or L for 1', () => {
    const typed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(normalizeCheckCode(typed)).toBe(code);
    expect(checkCodesMatch(code, typed)).toBe(true);
  });

  it('rejects a code with one character changed, a short code and a non-alphabet character', () => {
    const changed = (code[0] === 'A' ? 'B' : 'A') + code.slice(1);
    expect(checkCodesMatch(code, changed)).toBe(false);
    expect(checkCodesMatch(code, code.slice(0, -1))).toBe(false);
    expect(normalizeCheckCode(`${code.slice(0, -1)}U`)).toBeUndefined();
    expect(checkCodesMatch(code, '')).toBe(false);
  });
});

describe('assertOperators', () => {
  it('requires two distinct operators unless --single-operator', () => {
    expect(() => assertOperators(['alice', 'bob'], { singleOperator: false })).not.toThrow();
    expect(() => assertOperators(['alice'], { singleOperator: false })).toThrow(
      /two operators are required/,
    );
    expect(() => assertOperators([], { singleOperator: false })).toThrow(ByokError);
    expect(() => assertOperators(['alice', 'alice'], { singleOperator: false })).toThrow(
      /named twice/,
    );
    expect(() => assertOperators(['alice'], { singleOperator: true })).not.toThrow();
    expect(() => assertOperators(['alice', 'bob'], { singleOperator: true })).toThrow(
      /exactly one/,
    );
  });
});

describe('assertCheckCodesConfirmed', () => {
  const code = checkCodeOf(DIGEST);
  it('passes when every operator typed the code', () => {
    expect(() =>
      assertCheckCodesConfirmed(
        code,
        ['alice', 'bob'],
        [code, code.toLowerCase()],
        'import request',
      ),
    ).not.toThrow();
  });

  it('names the operator whose code differs and does not reveal the expected code', () => {
    const wrong = checkCodeOf('00'.repeat(32));
    try {
      assertCheckCodesConfirmed(code, ['alice', 'bob'], [code, wrong], 'import request');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ByokError);
      expect((error as ByokError).code).toBe('ERR_CHECK_CODE_MISMATCH');
      expect((error as ByokError).message).toContain('bob');
      expect((error as ByokError).message).not.toContain('alice');
      expect(`${(error as ByokError).message} ${(error as ByokError).hint ?? ''}`).not.toContain(
        code,
      );
    }
  });

  it('needs one code per operator', () => {
    expect(() =>
      assertCheckCodesConfirmed(code, ['alice', 'bob'], [code], 'wrapped bundle'),
    ).toThrow(expect.objectContaining({ code: 'ERR_CHECK_CODE_REQUIRED' }));
  });
});

describe('codeDifference', () => {
  const code = 'AB12-CD34-EF56-GH78-JK9M';
  it('names the groups that differ, never a character of the expected code', () => {
    expect(codeDifference(code, 'ab12 cd34 ef56 gh78 jk9m')).toBeUndefined();
    expect(codeDifference(code, 'AB12-CD35-EF56-GH78-JK9M')).toBe('group 2 of 5 differs');
    expect(codeDifference(code, 'XB12-CD34-EF56-GH78-JK9N')).toBe('groups 1 and 5 of 5 differ');
    expect(codeDifference(code, 'AB12-CD34-EF57-GH79-JK9N')).toBe('groups 3, 4 and 5 of 5 differ');
  });
  it('says what is wrong with the shape of a code that cannot be one', () => {
    expect(codeDifference(code, 'AB12-CD34-EF56-GH78')).toBe(
      'it has 16 characters, a code has 20 (5 groups of 4)',
    );
    expect(codeDifference(code, 'AB12-CD34-EF56-GH78-JK9U')).toContain('(U)');
  });
});
