import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase45, encodeBase45 } from '../../src/qr/base45.js';
import { crc32 } from '../../src/qr/crc32.js';
import { FrameAssembler } from '../../src/qr/frame-assembler.js';
import { parseFrame } from '../../src/qr/parse-frame.js';
import { splitIntoFrames } from '../../src/qr/split-into-frames.js';
import { acceptedOrRefused, check } from './properties.js';

const kind = fc.constantFrom('import-request' as const, 'wrapped-keys' as const);
const density = fc.constantFrom('low' as const, 'normal' as const, 'high' as const);

/** Frame bytes with a correct CRC-32, so that the header checks are what is tried. */
function withCrc(bytes: Uint8Array): string {
  const out = new Uint8Array(bytes.length + 4);
  out.set(bytes);
  new DataView(out.buffer).setUint32(bytes.length, crc32(bytes));
  return encodeBase45(out);
}

describe('QR frames (fuzz)', () => {
  it('round-trip: split, shuffled and repeated frames reassemble the payload', () => {
    const transfer = fc.tuple(
      kind,
      fc.uint8Array({ minLength: 1, maxLength: 4000 }),
      density,
      fc.nat(),
    );
    check(transfer, ([k, payload, d, seed]) => {
      const frames = splitIntoFrames(k, payload, d);
      const order = frames.map((_, i) => (i * (seed | 1) + seed) % frames.length);
      const assembler = new FrameAssembler({ kind: k });
      for (const i of [...order, ...order]) assembler.add(frames[i]!);
      for (const text of frames) expect(parseFrame(text).kind).toBe(k);
      const result = assembler.result();
      expect(result.kind).toBe(k);
      expect(result.payload).toStrictEqual(payload);
    });
  });

  it('refuses any text with ERR_QR', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({
        unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'.split('')),
        maxLength: 600,
      }),
      fc.nat({ max: 100_000 }).map((n) => '0'.repeat(n)),
    );
    check(text, (t) => {
      acceptedOrRefused(() => parseFrame(t), ['ERR_QR']);
    });
  });

  it('refuses frames with a valid CRC and any header or chunk: never another error', () => {
    const frame = fc.tuple(
      fc.uint8Array({ minLength: 24, maxLength: 24 }),
      fc.uint8Array({ maxLength: 300 }),
      fc.boolean(),
      fc.constantFrom(1, 2),
    );
    check(frame, ([header, chunk, magic, version]) => {
      const bytes = new Uint8Array(4 + header.length + chunk.length);
      bytes.set(magic ? [0x42, 0x51, version, 1 + (header[0]! % 2)] : header.subarray(0, 4));
      bytes.set(header, 4);
      bytes.set(chunk, 28);
      const parsed = acceptedOrRefused(() => parseFrame(withCrc(bytes)), ['ERR_QR']);
      const assembler = new FrameAssembler();
      const added = assembler.add(withCrc(bytes));
      expect(['accepted', 'corrupt', 'complete']).toContain(added.status);
      if (parsed?.form === 'pure') expect(parsed.chunk).toStrictEqual(chunk);
      // A mixed header is 2 bytes longer: its fragment starts 2 bytes into the chunk.
      if (parsed?.form === 'mixed') expect(parsed.fragment).toStrictEqual(chunk.subarray(2));
    });
  });

  it('never merges frames of two transfers, nor altered frames, into a payload', () => {
    check(
      fc.tuple(
        fc.uint8Array({ minLength: 600, maxLength: 2000 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
      ),
      ([payload, at, b]) => {
        const frames = splitIntoFrames('import-request', payload, 'low');
        const bytes = decodeBase45(frames[0]!)!;
        const i = at % (bytes.length - 4);
        bytes[i] = b;
        const altered = withCrc(bytes.subarray(0, bytes.length - 4));
        const assembler = new FrameAssembler();
        assembler.add(altered);
        for (const text of frames) assembler.add(text);
        const result = acceptedOrRefused(() => assembler.result(), ['ERR_QR']);
        if (result !== undefined) expect(result.payload).toStrictEqual(payload);
      },
    );
  });
});
