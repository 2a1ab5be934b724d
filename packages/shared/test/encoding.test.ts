import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../src/encoding/base64.js';
import { decodeHex, encodeHex } from '../src/encoding/hex.js';
import { encodeUtf8 } from '../src/encoding/utf8.js';
import { sha256 } from '../src/digest/sha256.js';
import { canonicalJson } from '../src/digest/canonical-json.js';

describe('base64', () => {
  it('round-trips and matches Node for every length up to 70', () => {
    for (let n = 0; n <= 70; n++) {
      const bytes = randomBytes(n);
      const text = encodeBase64(bytes);
      expect(text).toBe(bytes.toString('base64'));
      expect(Buffer.from(decodeBase64(text)!)).toEqual(bytes);
    }
  });

  it.each(['QQ', 'QQ=', 'Q===', 'QR==', 'QQ==\n', 'QQ ==', '-_8=', 'QUJD!A==', 'QUJDRA=a'])(
    'rejects non-canonical or malformed %j',
    (text) => {
      expect(decodeBase64(text)).toBeUndefined();
    },
  );
});

describe('hex', () => {
  it('round-trips and rejects odd or non-hex input', () => {
    expect(encodeHex(Uint8Array.from([0, 15, 255]))).toBe('000fff');
    expect(decodeHex('000fFF')).toEqual(Uint8Array.from([0, 15, 255]));
    expect(decodeHex('abc')).toBeUndefined();
    expect(decodeHex('zz')).toBeUndefined();
  });
});

describe('utf8', () => {
  it('matches TextEncoder, including astral characters', () => {
    const text = 'Åsa Ødegård 鍵 🔑 ceremony';
    expect(encodeUtf8(text)).toEqual(new TextEncoder().encode(text));
  });
});

describe('sha256', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(encodeHex(sha256(encodeUtf8('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(encodeHex(sha256(new Uint8Array()))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(
      encodeHex(sha256(encodeUtf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
    ).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('matches node:crypto on every length across block boundaries', () => {
    for (let n = 0; n < 200; n++) {
      const data = randomBytes(n);
      expect(encodeHex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }], e: true })).toBe(
      '{"a":[{"c":"x","d":null}],"b":1,"e":true}',
    );
  });

  it('is independent of key insertion order', () => {
    expect(canonicalJson({ x: 1, y: { p: 2, q: 3 } })).toBe(
      canonicalJson({ y: { q: 3, p: 2 }, x: 1 }),
    );
  });

  it('orders keys that begin with a digit by code unit, as the engine would not', () => {
    expect(canonicalJson({ b: 3, '2': 2, '10': 1, x: [{ '1': 'a', a: 'b' }] })).toBe(
      '{"10":1,"2":2,"b":3,"x":[{"1":"a","a":"b"}]}',
    );
  });

  it('writes a member named __proto__ as any other member', () => {
    const parsed = JSON.parse('{"z":1,"__proto__":{"b":2,"a":1}}') as unknown;
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"a":1,"b":2},"z":1}');
  });

  it('writes the same whatever the built-in prototypes were given', () => {
    const value = { a: 'x', b: [1, 2] };
    const before = canonicalJson(value);
    const descriptor = Object.getOwnPropertyDescriptor(Array.prototype, 'toJSON');
    Object.defineProperty(Array.prototype, 'toJSON', {
      value: () => 'forged',
      configurable: true,
    });
    Object.defineProperty(Object.prototype, '0', {
      set() {},
      configurable: true,
    });
    try {
      expect(canonicalJson(value)).toBe(before);
    } finally {
      if (descriptor === undefined) delete (Array.prototype as { toJSON?: unknown }).toJSON;
      delete (Object.prototype as Record<string, unknown>)['0'];
    }
  });

  it('skips undefined members and refuses undefined in arrays', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson([1, undefined])).toThrow(/cannot encode undefined/);
  });

  it('refuses numbers that do not survive every JSON parser', () => {
    expect(() => canonicalJson({ a: 1.5 })).toThrow(/integers only/);
    expect(() => canonicalJson({ a: 2 ** 60 })).toThrow(/integers only/);
  });
});
