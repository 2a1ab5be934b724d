import { describe, expect, it } from 'vitest';
import {
  assertDistinctOperators,
  assertOperators,
  ByokError,
  operatorIdentities,
  operatorNameCollisions,
  parseOperatorName,
  parseOperatorNames,
  sameOperator,
} from '../src/index.js';

function errorOf(fn: () => unknown): ByokError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ByokError) return e;
    throw e;
  }
  throw new Error('expected a ByokError');
}

describe('operator names', () => {
  it('are recorded in NFKC', () => {
    expect(parseOperatorName('\uff21lice', '--operator')).toBe('Alice');
    expect(parseOperatorName('José', '--operator')).toBe('José');
    expect(parseOperatorName('Jose\u0301', '--operator')).toBe('José');
  });

  it('refuse leading, trailing and repeated spaces, and other whitespace', () => {
    for (const name of ['Bob ', ' Bob', 'Bo  b', 'Bo\tb', 'Bob\n', '', 'x'.repeat(65)]) {
      const error = errorOf(() => parseOperatorName(name, '--operator'));
      expect(error.code).toBe('ERR_USAGE');
      expect(error.hint).toContain('no space at the end');
    }
    expect(parseOperatorName('Mary Ann', '--operator')).toBe('Mary Ann');
  });

  it('collide by case, compatibility form and confusable skeleton (UTS #39)', () => {
    expect(sameOperator('ALICE', 'alice')).toBe(true);
    expect(sameOperator('Bob', 'B\u043eb')).toBe(true); // Cyrillic о
    expect(sameOperator('PAUL', '\u0420AUL')).toBe(true); // Cyrillic Р
    expect(sameOperator('Straße', 'STRASSE')).toBe(true);
    expect(sameOperator('ALICE', 'BOB')).toBe(false);
    expect(operatorIdentities('ALICE')).not.toEqual(operatorIdentities('BOB'));
    expect(operatorNameCollisions(['ALICE', 'BOB', 'alice', 'B\u043eB'])).toEqual([
      ['ALICE', 'alice'],
      ['BOB', 'B\u043eB'],
    ]);
  });

  // All in Cyrillic capitals: В О М А Х К Е Н Т, whose lower case looks like no Latin letter.
  const CYRILLIC_CAPITALS: readonly (readonly [string, string])[] = [
    ['BOB', '\u0412\u041e\u0412'],
    ['TOM', '\u0422\u041e\u041c'],
    ['MAX', '\u041c\u0410\u0425'],
    ['KEH', '\u041a\u0415\u041d'],
  ];

  it('collide when written in look-alike capitals of another script', () => {
    for (const [latin, cyrillic] of CYRILLIC_CAPITALS) {
      expect(latin).not.toBe(cyrillic);
      expect(sameOperator(latin, cyrillic), `${latin} / ${cyrillic}`).toBe(true);
      // Any spelling of the same person collides too: case does not tell people apart.
      expect(sameOperator(latin.toLowerCase(), cyrillic), `${latin} / ${cyrillic}`).toBe(true);
      expect(operatorNameCollisions([latin, 'ALICE', cyrillic])).toEqual([[latin, cyrillic]]);
      const error = errorOf(() => parseOperatorNames([latin, cyrillic]));
      expect(error.code).toBe('ERR_OPERATORS');
      expect(error.message).toContain(cyrillic);
    }
    // Cyrillic Н is a look-alike of H, not of N: КЕН and KEN are two names a reader tells apart.
    expect(sameOperator('KEN', '\u041a\u0415\u041d')).toBe(false);
    expect(sameOperator('TOM', 'TIM')).toBe(false);
  });

  it('refuse two names for one person, with a hint', () => {
    for (const pair of [
      ['ALICE', 'alice'],
      ['Bob', 'B\u043eb'],
      ['Bob', 'Bob'],
    ]) {
      const error = errorOf(() => parseOperatorNames(pair));
      expect(error.code).toBe('ERR_OPERATORS');
      expect(error.message).toContain('the same operator is named twice');
      expect(error.hint).toContain('look-alike');
      expect(errorOf(() => assertOperators(pair, { singleOperator: false })).code).toBe(
        'ERR_OPERATORS',
      );
    }
    expect(() => assertDistinctOperators(['ALICE', 'BOB'])).not.toThrow();
  });
});
