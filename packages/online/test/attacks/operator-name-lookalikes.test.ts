import { describe, expect, it } from 'vitest';
import { parseOperatorNames, sameOperator } from '@byok-ceremony/shared';

/**
 * Latin small capitals and a few Latin/Greek letters that read as another Latin letter but have
 * no prototype in confusables.txt: each pair below reads as one person's name, yet the three
 * skeletons (as written, capitals, folded) all differ, so the two-person rule counts two people.
 */
const ONE_PERSON: readonly (readonly [string, string])[] = [
  ['Ben', '\u0299en'], // LATIN LETTER SMALL CAPITAL B
  ['Ann', '\u1d00nn'], // LATIN LETTER SMALL CAPITAL A
  ['Kai', '\u1d0bai'], // LATIN LETTER SMALL CAPITAL K
  ['Hal', '\u029cal'], // LATIN LETTER SMALL CAPITAL H
  ['Noa', '\u0274oa'], // LATIN LETTER SMALL CAPITAL N
  ['Gus', '\u0262us'], // LATIN LETTER SMALL CAPITAL G
  ['Liv', '\u029fiv'], // LATIN LETTER SMALL CAPITAL L
  ['kim', '\u0138im'], // LATIN SMALL LETTER KRA
  ['bob', '\u0185ob'], // LATIN SMALL LETTER TONE SIX
  ['nina', '\u03b7ina'], // GREEK SMALL LETTER ETA
];

describe('operator names: look-alikes outside confusables.txt name one person', () => {
  it.each(ONE_PERSON)('%s and %s are one operator', (a, b) => {
    expect(sameOperator(a, b)).toBe(true);
  });

  it('the two-person rule refuses "Ben" and "ʙen" as two operators', () => {
    expect(() => parseOperatorNames(['Ben', '\u0299en'])).toThrow(
      /the same operator is named twice/,
    );
  });
});
