import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/digest/canonical-json.js';
import { decodeBase64, encodeBase64 } from '../../src/encoding/base64.js';
import { decodeHex, encodeHex } from '../../src/encoding/hex.js';
import { encodeUtf8 } from '../../src/encoding/utf8.js';
import { check } from './properties.js';

/** The code-point loop the table-driven encoder replaced: lone surrogates as their code unit. */
function utf8ByCodePoints(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else
      out.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 63),
        0x80 | ((cp >> 6) & 63),
        0x80 | (cp & 63),
      );
  }
  return Uint8Array.from(out);
}

/** The form canonicalJson had before it built its output in one pass: the reference here. */
function canonicalByEntries(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('integers only');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalByEntries).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalByEntries(v)}`).join(',')}}`;
}

const base64ish = fc.string({
  unit: fc.constantFrom(...'AQZaqz09+/=-_ \n\u00e9'.split('')),
  maxLength: 24,
});

describe('encodings (fuzz)', () => {
  it('base64 encodes as Node does and decodes what it encodes', () => {
    check(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(text)).toEqual(bytes);
    });
  });

  it('base64 accepts exactly the texts that are the canonical encoding of their bytes', () => {
    check(base64ish, (text) => {
      const decoded = decodeBase64(text);
      const canonical = /^[A-Za-z0-9+/=]*$/.test(text)
        ? Buffer.from(text, 'base64').toString('base64') === text
        : false;
      expect(decoded !== undefined).toBe(canonical);
      if (decoded !== undefined) expect(Buffer.from(decoded).toString('base64')).toBe(text);
    });
  });

  it('UTF-8 matches TextEncoder on well-formed text and the code-point loop on any text', () => {
    check(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
      expect(encodeUtf8(text)).toEqual(new TextEncoder().encode(text));
    });
    check(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
      expect(encodeUtf8(text)).toEqual(utf8ByCodePoints(text));
    });
    expect(encodeUtf8('\ud800')).toEqual(Uint8Array.from([0xed, 0xa0, 0x80]));
    expect(encodeUtf8('a\udc00\ud83d\udd11')).toEqual(
      Uint8Array.from([0x61, 0xed, 0xb0, 0x80, 0xf0, 0x9f, 0x94, 0x91]),
    );
  });

  it('hex round-trips as Node encodes it', () => {
    check(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      const text = encodeHex(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('hex'));
      expect(decodeHex(text)).toEqual(bytes);
    });
  });

  it('canonical JSON of any JSON value parses back to it and equals the entries-and-sort form', () => {
    const json = fc.jsonValue().filter((v) => JSON.stringify(v).match(/\d[.eE]/) === null);
    check(json, (value) => {
      let text: string;
      try {
        text = canonicalJson(value);
      } catch (error) {
        // Only non-integers are refused.
        expect(String(error)).toMatch(/integers only/);
        expect(() => canonicalByEntries(value)).toThrow(/integers only/);
        return;
      }
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      expect(text).toBe(canonicalByEntries(value));
    });
    // Keys sorted by UTF-16 code units, integer-like keys included (JS objects list those first).
    expect(canonicalJson({ b: 1, '': 2, '10': 3, '9': 4, é: 5, B: 6 })).toBe(
      '{"":2,"10":3,"9":4,"B":6,"b":1,"é":5}',
    );
  });
});
