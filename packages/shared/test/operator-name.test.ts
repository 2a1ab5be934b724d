import { describe, expect, it } from 'vitest';
import {
  assertDistinctOperators,
  assertOperators,
  ByokError,
  operatorIdentity,
  operatorNameCollisions,
  parseOperatorName,
  parseOperatorNames,
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
    expect(operatorIdentity('ALICE')).toBe(operatorIdentity('alice'));
    expect(operatorIdentity('Bob')).toBe(operatorIdentity('B\u043eb')); // Cyrillic о
    expect(operatorIdentity('PAUL')).toBe(operatorIdentity('\u0420AUL')); // Cyrillic Р
    expect(operatorIdentity('Straße')).toBe(operatorIdentity('STRASSE'));
    expect(operatorIdentity('ALICE')).not.toBe(operatorIdentity('BOB'));
    expect(operatorNameCollisions(['ALICE', 'BOB', 'alice', 'B\u043eB'])).toEqual([
      ['ALICE', 'alice'],
      ['BOB', 'B\u043eB'],
    ]);
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
