import { randomBytes, randomInt } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  STRICT_JSON_MAX_DEPTH,
  StrictJsonError,
  parseStrictJson,
} from '../src/encoding/strict-json.js';

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)]!;

function randomString(): string {
  const pieces = [
    () => String.fromCharCode(randomInt(0x20)), // control characters, escaped by stringify
    () => String.fromCharCode(0xd800 + randomInt(0x800)), // a lone surrogate
    () => String.fromCodePoint(0x10000 + randomInt(0xfffff)),
    () => pick(['"', '\\', '/', '\u2028', '\u00e9', '__proto__', 'constructor', ' ']),
    () => randomBytes(randomInt(6)).toString('base64'),
  ];
  return Array.from({ length: randomInt(6) }, () => pick(pieces)()).join('');
}

function randomNumber(): number {
  return pick([
    () => randomInt(-1000, 1000),
    () => (Math.random() - 0.5) * 10 ** randomInt(-30, 30),
    () => Number.MAX_SAFE_INTEGER,
    () => -0,
    () => 5e-324,
    () => 1.7976931348623157e308,
  ])();
}

function randomValue(depth: number): unknown {
  const kind = randomInt(depth > 5 ? 5 : 7);
  if (kind === 0) return null;
  if (kind === 1) return Math.random() < 0.5;
  if (kind === 2) return randomNumber();
  if (kind === 3 || kind === 4) return randomString();
  if (kind === 5) return Array.from({ length: randomInt(5) }, () => randomValue(depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = randomInt(5); i > 0; i--)
    Object.defineProperty(object, randomString(), {
      value: randomValue(depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return object;
}

/** JSON text of a value with random RFC 8259 whitespace between tokens. */
function withSpaces(text: string): string {
  const space = (): string =>
    Array.from({ length: randomInt(3) }, () => pick([' ', '\t', '\n', '\r'])).join('');
  let out = space();
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    out += c;
    if (inString) {
      if (c === '\\') out += text[++i]!;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    if (!inString && '{}[],:'.includes(c)) out += space();
  }
  return out + space();
}

/** Random escapes for characters JSON.stringify writes literally. */
function withEscapes(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString && c === '\\') {
      const length = text[i + 1] === 'u' ? 6 : 2;
      out += text.slice(i, i + length);
      i += length - 1;
      continue;
    }
    if (c === '"') inString = !inString;
    if (inString && c !== '"' && Math.random() < 0.2) {
      const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
      out += `\\u${Math.random() < 0.5 ? hex : hex.toUpperCase()}`;
    } else if (inString && c === '/' && Math.random() < 0.5) out += '\\/';
    else out += c;
  }
  return out;
}

/** The value a JSON text of `value` reads back as: JSON has no negative zero. */
function readBack(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(readBack);
  if (value === null || typeof value !== 'object') return value;
  const object: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value))
    Object.defineProperty(object, key, {
      value: readBack(member),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return object;
}

describe('parseStrictJson', () => {
  // The oracle is the value the text was written from, not JSON.parse: Node 24's JSON.parse
  // reads some one-character escaped keys back as "\\", depending on what it parsed before.
  it('reads back the value on 3000 random documents', () => {
    for (let i = 0; i < 3000; i++) {
      const value = randomValue(0);
      const text = withEscapes(withSpaces(JSON.stringify(value)));
      const actual = parseStrictJson(text);
      // node's deep equality: vitest's compares own "constructor" keys as if they were types.
      expect(isDeepStrictEqual(actual, readBack(value)), text).toBe(true);
      // Member order too, which deep equality does not see (stringify writes -0 as 0).
      expect(JSON.stringify(actual)).toBe(JSON.stringify(value));
    }
  });

  it('reads one-character escaped keys as written', () => {
    const escapes: [string, string][] = [
      ['\\u0006', '\u0006'],
      ['\\udfed', '\udfed'],
      ['\\"', '"'],
      ['\\\\', '\\'],
      ['\\b', '\b'],
      ['\\u00e9', '\u00e9'],
    ];
    for (const [written, key] of escapes) {
      const text = `{"${written}":1,"a${written}":2}`;
      expect(Object.keys(parseStrictJson(text) as object)).toEqual([key, `a${key}`]);
    }
  });

  it.each([
    '',
    ' ',
    '{',
    '}',
    '[1,]',
    '[,1]',
    '{"a":1,}',
    '{"a" 1}',
    '{a:1}',
    "{'a':1}",
    '[01]',
    '[1.]',
    '[.5]',
    '[-]',
    '[+1]',
    '[1e]',
    '[0x10]',
    '[NaN]',
    '[Infinity]',
    '[tru]',
    '[nul]',
    '"\\x41"',
    '"\\u12G4"',
    '"\\u123"',
    '"a\u0001"',
    '"tab\there"',
    '"unterminated',
    '1 2',
    '[1] x',
    '\ufeff{}',
    '\u00a0{}',
    '{"a":1}{"b":2}',
    '[1,2',
    '"\\',
  ])('refuses %j, as JSON.parse does', (text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(() => parseStrictJson(text)).toThrow(StrictJsonError);
  });

  it('refuses a duplicate key, naming it and where it is', () => {
    const cases: [string, string][] = [
      ['{"a":1,"a":2}', 'duplicate key "a" in the object at $'],
      [
        '{"targets":[{"keyArn":"x"},{"keyArn":"y","keyArn":"z"}]}',
        'duplicate key "keyArn" in the object at $.targets[1]',
      ],
      [
        '{"x y":{"__proto__":1,"__proto__":2}}',
        'duplicate key "__proto__" in the object at $["x y"]',
      ],
      ['{"\\u0061":1,"a":2}', 'duplicate key "a" in the object at $'],
      // The path after sibling values were read: each step is undone when its value ends.
      ['{"a":{"b":[1,{"c":2}]},"d":{"e":1,"e":2}}', 'duplicate key "e" in the object at $.d'],
      ['[[1],[2,{"k":[],"k":2}]]', 'duplicate key "k" in the object at $[1][1]'],
    ];
    for (const [text, message] of cases) {
      expect(() => JSON.parse(text)).not.toThrow();
      let error: unknown;
      try {
        parseStrictJson(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StrictJsonError);
      expect((error as StrictJsonError).problem).toBe('duplicate-key');
      expect((error as StrictJsonError).message).toBe(message);
    }
  });

  it('keeps "__proto__" an own property and never changes a prototype', () => {
    const value = parseStrictJson('{"__proto__":{"polluted":true},"a":{"__proto__":[]}}') as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    expect((value as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Array.isArray(Object.getPrototypeOf(value['a']))).toBe(false);
    expect(JSON.stringify(value)).toBe(
      JSON.stringify(JSON.parse('{"__proto__":{"polluted":true},"a":{"__proto__":[]}}')),
    );
  });

  it('keeps lone surrogates, escaped or raw, as JSON.parse does', () => {
    for (const text of ['"\\ud800"', '"\\udfff x"', '"\ud800"', '{"\\udc00":"\\ud83d"}'])
      expect(isDeepStrictEqual(parseStrictJson(text), JSON.parse(text))).toBe(true);
  });

  it(`accepts ${STRICT_JSON_MAX_DEPTH} levels of nesting and refuses one more`, () => {
    const nested = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    expect(parseStrictJson(nested(STRICT_JSON_MAX_DEPTH))).toStrictEqual(
      JSON.parse(nested(STRICT_JSON_MAX_DEPTH)),
    );
    expect(() => parseStrictJson(nested(STRICT_JSON_MAX_DEPTH + 1))).toThrow(
      /JSON nested deeper than 64 levels/,
    );
    expect(() => parseStrictJson('{"a":[[{}]]}', 3)).toThrow(
      'JSON nested deeper than 3 levels at $.a[0][0]',
    );
    // Far beyond the call stack: refused cleanly, not a RangeError.
    expect(() => parseStrictJson(nested(200_000))).toThrow(StrictJsonError);
  });
});
