import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseStrictJson,
  readStrictJson,
  StrictJsonError,
} from '../../src/encoding/strict-json.js';
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

/** The value read, or the error's problem, message and position. */
function outcome(read: () => unknown): unknown {
  try {
    return { value: read() };
  } catch (error) {
    if (!(error instanceof StrictJsonError)) throw error;
    return { problem: error.problem, message: error.message, position: error.position };
  }
}

/**
 * Objects written member by member with JSON whitespace around the colons, from keys that hold
 * quotes, backslashes and colons (`"a\\":"` is one key), so keys repeat often, at any depth.
 */
const objectsWithRepeats: fc.Arbitrary<string> = fc.letrec<{ text: string }>((tie) => ({
  text: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    fc
      .array(
        fc.tuple(
          fc.constantFrom('a', 'b', 'a":', '\\', '"', ':', '\\":', '__proto__', ''),
          fc.constantFrom('', ' ', '\n', '\t', '\r\n '),
          tie('text'),
        ),
        { maxLength: 5 },
      )
      .map(
        (members) =>
          `{${members.map(([key, ws, value]) => `${JSON.stringify(key)}${ws}:${ws}${value}`).join(',')}}`,
      ),
    fc.array(tie('text'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
  ),
})).text;

describe('parseStrictJson (fuzz)', () => {
  it('gives exactly what the JavaScript reader gives, value or error, keys repeated or not', () => {
    check(objectsWithRepeats, (text) => {
      expect(outcome(() => parseStrictJson(text))).toStrictEqual(
        outcome(() => readStrictJson(text)),
      );
    });
    check(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
      expect(outcome(() => parseStrictJson(text))).toStrictEqual(
        outcome(() => readStrictJson(text)),
      );
    });
  });

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
