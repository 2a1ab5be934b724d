import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bundle } from '../../src/bundle/types.js';
import {
  COMPACT_MAX_STRING_DEPTH,
  decodeCompactBundle,
  decodeCompactValue,
  encodeCompactBundle,
} from '../../src/qr/compact-bundle.js';
import { acceptedOrRefused, check, mutationsOf } from './properties.js';

const fixture = (name: string): Bundle =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8')) as Bundle;
const request = fixture('import-request.v1.json');
const wrapped = fixture('wrapped-keys.v1.json');

/** Strings of the shapes the encoding treats apart: UUIDs, hex, base64, times, ARNs. */
const shapedString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.uuid().map((u) => u.toLowerCase()),
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.uuid(), fc.string({ maxLength: 8 }))
    .map(([a, u, b]) => a + u.toLowerCase() + b),
  fc.array(fc.uuid(), { minLength: 1, maxLength: 8 }).map((us) => us.join('/')),
  fc.uint8Array({ minLength: 3, maxLength: 40 }).map((b) => Buffer.from(b).toString('hex')),
  fc
    .uint8Array({ minLength: 3, maxLength: 40 })
    .map((b) => Buffer.from(b).toString('hex').toUpperCase()),
  fc.uint8Array({ minLength: 6, maxLength: 60 }).map((b) => Buffer.from(b).toString('base64')),
  fc
    .uint8Array({ minLength: 16, maxLength: 16 })
    .map((b) => `arn:aws:kms:eu-west-2:111122223333:key/mrk-${Buffer.from(b).toString('hex')}`),
  fc
    .date({ min: new Date(0), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString().replace(/\.\d+Z$/, 'Z')),
  fc.constantFrom('format', 'SYMMETRIC_DEFAULT', 'byok-ceremony/import-request'),
);

/** Any JSON value the encoding carries: safe integers only, no "__proto__" key (refused by design). */
const compactValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    shapedString,
    fc.array(tie('value'), { maxLength: 5 }),
    fc
      .dictionary(
        shapedString.filter((k) => k !== '__proto__'),
        tie('value'),
        { maxKeys: 5 },
      )
      .map((d) => ({ ...d })),
  ),
})).value;

describe('compact bundle encoding (fuzz)', () => {
  it('round-trips any JSON value it carries: decode(encode(v)) = v', () => {
    check(compactValue, (value) => {
      expect(decodeCompactValue(encodeCompactBundle(value as unknown as Bundle))).toStrictEqual(
        value,
      );
    });
  });

  it('round-trips strings built around ids deeper than the reader nests them', () => {
    check(fc.array(fc.uuid(), { minLength: COMPACT_MAX_STRING_DEPTH, maxLength: 40 }), (ids) => {
      const s = ids.map((u) => u.toLowerCase()).join('-');
      expect(decodeCompactValue(encodeCompactBundle({ s } as unknown as Bundle))).toStrictEqual({
        s,
      });
    });
  });

  it('round-trips both bundle kinds, and mutated bundles that stay valid', () => {
    expect(decodeCompactBundle(encodeCompactBundle(request), 'import-request')).toStrictEqual(
      request,
    );
    expect(decodeCompactBundle(encodeCompactBundle(wrapped), 'wrapped-keys')).toStrictEqual(
      wrapped,
    );
    check(mutationsOf(request), (doc) => {
      let bytes: Uint8Array;
      try {
        bytes = encodeCompactBundle(doc as Bundle);
      } catch {
        return; // not a value the encoding carries (a fraction, a too deep value)
      }
      const read = acceptedOrRefused(
        () => decodeCompactBundle(bytes, 'import-request'),
        ['ERR_QR', 'ERR_BUNDLE_INVALID'],
      );
      if (read !== undefined) expect(read).toStrictEqual(doc);
    });
  });

  it('refuses any bytes with ERR_QR (or ERR_BUNDLE_INVALID), never another error', () => {
    const raw = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Uint8Array.of(1, ...b)),
    );
    check(raw, (bytes) => {
      acceptedOrRefused(
        () => decodeCompactBundle(bytes, 'import-request'),
        ['ERR_QR', 'ERR_BUNDLE_INVALID'],
      );
    });
  });

  it('refuses a valid encoding with bytes changed, added or removed', () => {
    const valid = encodeCompactBundle(request);
    const edited = fc
      .array(
        fc.tuple(
          fc.nat(),
          fc.integer({ min: 0, max: 255 }),
          fc.constantFrom('set', 'insert', 'delete'),
        ),
        { minLength: 1, maxLength: 8 },
      )
      .map((edits) => {
        const bytes = [...valid];
        for (const [at, b, op] of edits) {
          const i = at % (bytes.length + 1);
          if (op === 'set') bytes[i] = b;
          else if (op === 'insert') bytes.splice(i, 0, b);
          else bytes.splice(i, 1);
        }
        return Uint8Array.from(bytes);
      });
    check(edited, (bytes) => {
      acceptedOrRefused(
        () => decodeCompactBundle(bytes, 'import-request'),
        ['ERR_QR', 'ERR_BUNDLE_INVALID'],
      );
    });
  });

  it('refuses deep nesting of every kind, huge numbers and huge times', () => {
    const varint = (n: number): number[] => {
      const out: number[] = [];
      for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
      out.push(n);
      return out;
    };
    const hostile = fc.oneof(
      fc.integer({ min: 1, max: 20_000 }).map((d) => [
        ...Array<number>(d)
          .fill(12)
          .flatMap((t) => [t, 1]),
        0,
      ]),
      fc.integer({ min: 1, max: 20_000 }).map((d) => [
        ...Array<number>(d)
          .fill(0)
          .flatMap(() => [13, 1, 6, 2]),
        0,
      ]),
      fc
        .integer({ min: 1, max: 300 })
        .map((d) => [
          ...Array.from({ length: d }, (_, k) => (k % 2 === 0 ? 10 : 14)),
          5,
          0,
          ...Array.from({ length: d }, () => [...Array<number>(16).fill(0xab), 5, 0]).flat(),
        ]),
      fc
        .oneof(
          fc.integer({ min: 253_402_300_800, max: Number.MAX_SAFE_INTEGER }),
          fc.constant(8.64e12 + 1),
        )
        .map((s) => [11, ...varint(s)]),
      fc.integer({ min: 1, max: 200 }).map((n) => [3, ...Array<number>(n).fill(0xff), 0x01]),
      fc.integer({ min: 1, max: 200 }).map((n) => [3, ...Array<number>(n).fill(0x80), 0x00]),
      fc.integer({ min: 1, max: 60 }).map((n) => [
        12,
        n,
        ...Array<number>(n)
          .fill(0)
          .flatMap(() => [10, 6, 0, ...Array<number>(16).fill(1), 6, 0]),
      ]),
    );
    check(hostile, (body) => {
      acceptedOrRefused(
        () => decodeCompactBundle(Uint8Array.of(1, ...body), 'import-request'),
        ['ERR_QR', 'ERR_BUNDLE_INVALID'],
      );
    });
  });

  it('refuses strings that references would make exponentially long', () => {
    // Each string is the previous one twice around a UUID: 2^n characters from 20·n bytes.
    check(fc.integer({ min: 10, max: 60 }), (n) => {
      const body: number[] = [12, n, 5, 1, 0x61];
      for (let i = 0; i < n - 1; i++)
        body.push(10, 6, 73 + i, ...Array<number>(16).fill(1), 6, 73 + i);
      acceptedOrRefused(() => decodeCompactValue(Uint8Array.of(1, ...body)), ['ERR_QR']);
    });
  });
});
