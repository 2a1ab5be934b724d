import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrictJson, StrictJsonError } from '../../src/encoding/strict-json.js';
import { check, hostileValue } from './properties.js';

/** JSON.parse's value, or undefined where it throws. */
function viaJsonParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function agreesWithJsonParse(text: string): void {
  const expected = viaJsonParse(text);
  let value: unknown;
  try {
    value = parseStrictJson(text);
  } catch (error) {
    // Only its own error, and never for text JSON.parse reads unless a key repeats or it is deep.
    expect(error).toBeInstanceOf(StrictJsonError);
    if (expected.ok)
      expect(['duplicate-key', 'too-deep']).toContain((error as StrictJsonError).problem);
    return;
  }
  expect(expected.ok).toBe(true);
  if (expected.ok) expect(value).toStrictEqual(expected.value);
}

describe('parseStrictJson (fuzz)', () => {
  it('round-trips every JSON value JSON.stringify writes', () => {
    check(fc.jsonValue({ maxDepth: 20 }), (value) => {
      const text = JSON.stringify(value);
      expect(parseStrictJson(text)).toStrictEqual(JSON.parse(text));
    });
  });

  it('agrees with JSON.parse on any text, failing only with StrictJsonError', () => {
    check(fc.string({ unit: 'binary', maxLength: 200 }), agreesWithJsonParse);
    check(
      fc.string({
        unit: fc.constantFrom(...'{}[]",:0123456789-+.eEtrufalsn \\u"'.split('')),
        maxLength: 80,
      }),
      agreesWithJsonParse,
    );
  });

  it('agrees with JSON.parse on JSON with one character changed, added or removed', () => {
    const edited = fc
      .tuple(
        fc.jsonValue({ maxDepth: 6 }),
        fc.nat(),
        fc.string({ unit: 'binary', maxLength: 2 }),
        fc.nat({ max: 2 }),
      )
      .map(([value, at, insert, drop]) => {
        const text = JSON.stringify(value);
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + drop);
      });
    check(edited, agreesWithJsonParse);
  });

  it('refuses deep nesting and huge documents of hostile values without a RangeError', () => {
    check(hostileValue, (value) => {
      const text = JSON.stringify(value);
      if (text !== undefined) agreesWithJsonParse(text);
    });
    check(fc.integer({ min: 65, max: 200_000 }), (depth) => {
      expect(() => parseStrictJson('['.repeat(depth))).toThrow(StrictJsonError);
    });
  });
});
