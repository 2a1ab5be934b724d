import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase45, encodeBase45 } from '../../src/qr/base45.js';
import { chooseFragments } from '../../src/qr/choose-fragments.js';
import { crc32 } from '../../src/qr/crc32.js';
import { FrameAssembler } from '../../src/qr/frame-assembler.js';
import { QrFrameSequence } from '../../src/qr/frame-sequence.js';
import { parseFrame } from '../../src/qr/parse-frame.js';
import { check } from '../fuzz/properties.js';

/** mulberry32: a seeded generator, so every run of the test sees the same losses. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 40-frame transfer at density normal (510-byte chunks). */
const fortyFrames = (random: () => number): QrFrameSequence => {
  const payload = Uint8Array.from({ length: 40 * 510 - 3 }, () => Math.floor(random() * 256));
  const sequence = new QrFrameSequence('import-request', payload, 'normal');
  expect(sequence.count).toBe(40);
  return sequence;
};

/** Frames shown until a reader that misses each with probability `loss` has the payload. */
function framesShownUntilComplete(
  frameShown: (n: number) => string,
  random: () => number,
  loss: number,
  limit: number,
): number {
  const assembler = new FrameAssembler({ kind: 'import-request' });
  for (let shown = 1; shown <= limit; shown++) {
    if (random() < loss) continue;
    assembler.add(frameShown(shown));
    if (assembler.progress().complete) {
      assembler.result();
      return shown;
    }
  }
  throw new Error(`not complete after ${limit} frames shown`);
}

/** Re-encodes a frame's bytes with a correct CRC-32 after `alter` changed them. */
function altered(text: string, alter: (bytes: Uint8Array) => void): string {
  const bytes = decodeBase45(text)!;
  alter(bytes);
  const end = bytes.length - 4;
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(end, crc32(bytes.subarray(0, end)));
  return encodeBase45(bytes);
}

describe('rateless QR transfer: pure frames, then mixed ones', () => {
  it('a reader missing a random quarter of the frames completes 40 frames within 64 shown on average; a fixed loop needs 80 or more', () => {
    const random = seeded(22);
    const runs = 120;
    let rateless = 0;
    let looped = 0;
    for (let run = 0; run < runs; run++) {
      const sequence = fortyFrames(random);
      rateless += framesShownUntilComplete((n) => sequence.frameAt(n), random, 0.25, 2000);
      const pure = sequence.pureFrames();
      looped += framesShownUntilComplete((n) => pure[(n - 1) % 40]!, random, 0.25, 2000);
    }
    const averageRateless = rateless / runs;
    const averageLooped = looped / runs;
    expect(averageRateless).toBeLessThanOrEqual(64);
    expect(averageLooped).toBeGreaterThanOrEqual(80);
  });

  it('keeps the pure frames as they were: version 1, one chunk each; mixed frames are version 2', () => {
    const sequence = new QrFrameSequence('wrapped-keys', randomBytes(3000), 'low');
    const pure = parseFrame(sequence.frameAt(sequence.count));
    expect(pure).toMatchObject({ form: 'pure', index: sequence.count - 1 });
    expect(decodeBase45(sequence.frameAt(1))![2]).toBe(1);
    const mixed = parseFrame(sequence.frameAt(sequence.count + 1));
    expect(mixed).toMatchObject({ form: 'mixed', seqNum: sequence.count + 1 });
    expect(decodeBase45(sequence.frameAt(sequence.count + 1))![2]).toBe(2);
  });

  it('chooses the same chunks for a frame number every time, at least two after the pure frames', () => {
    const id = randomBytes(16);
    for (let seqNum = 41; seqNum < 400; seqNum++) {
      const chosen = chooseFragments(seqNum, 40, id);
      expect(chooseFragments(seqNum, 40, id)).toEqual(chosen);
      expect(chosen.length).toBeGreaterThanOrEqual(2);
      expect(new Set(chosen).size).toBe(chosen.length);
      expect(chosen.every((i) => Number.isInteger(i) && i >= 0 && i < 40)).toBe(true);
    }
    expect(chooseFragments(7, 40, id)).toEqual([6]);
  });

  it('completes from mixed frames alone, shuffled and repeated', () => {
    const payload = randomBytes(5000);
    const sequence = new QrFrameSequence('import-request', payload, 'low');
    const frames = sequence.frames(sequence.count + 1, sequence.count * 3);
    const assembler = new FrameAssembler();
    const random = seeded(5);
    const order = [...frames, ...frames.slice(0, 10)].sort(() => random() - 0.5);
    for (const text of order) {
      assembler.add(text);
      if (assembler.progress().complete) break;
    }
    expect(Buffer.from(assembler.result().payload)).toEqual(payload);
  });

  it('refuses a mixed frame numbered among the pure ones, or with a fragment of the wrong size', () => {
    const sequence = new QrFrameSequence('import-request', randomBytes(2000), 'low');
    const mixed = sequence.frameAt(sequence.count + 3);
    const renumbered = altered(mixed, (b) => new DataView(b.buffer).setUint32(20, 2));
    expect(() => parseFrame(renumbered)).toThrow(/mixed frame header is inconsistent/);
    const bytes = decodeBase45(mixed)!;
    const short = bytes.slice(0, bytes.length - 1);
    expect(() => parseFrame(altered(encodeBase45(short), () => undefined))).toThrow(
      /fragment has the wrong size/,
    );
    const assembler = new FrameAssembler();
    expect(assembler.add(renumbered)).toMatchObject({ status: 'corrupt' });
  });

  it('never returns other data than was sent when a mixed frame was altered (CRC recomputed)', () => {
    const payload = randomBytes(4000);
    const sequence = new QrFrameSequence('import-request', payload, 'low');
    const count = sequence.count;
    for (let trial = 0; trial < 30; trial++) {
      const assembler = new FrameAssembler();
      const bad = count + 1 + trial;
      // The altered frame first, then the rest without its pure frames 1 and 2.
      assembler.add(altered(sequence.frameAt(bad), (b) => (b[40] = b[40]! ^ 0x5a)));
      for (let n = 3; n <= count * 4 && !assembler.progress().complete; n++)
        if (n !== bad) assembler.add(sequence.frameAt(n));
      let result: Uint8Array | undefined;
      try {
        result = assembler.result().payload;
      } catch (err) {
        expect(String(err)).toMatch(/digest mismatch|incomplete/);
      }
      if (result !== undefined) expect(Buffer.from(result)).toEqual(payload);
    }
  });

  it('reports a mixed frame that contradicts the chunks already read as corrupt, and a repeat as duplicate', () => {
    const sequence = new QrFrameSequence('import-request', randomBytes(2000), 'low');
    const assembler = new FrameAssembler();
    for (const text of sequence.pureFrames()) assembler.add(text);
    const mixed = sequence.frameAt(sequence.count + 1);
    expect(assembler.add(mixed).status).toBe('duplicate');
    const wrong = assembler.add(altered(mixed, (b) => (b[31] = b[31]! ^ 1)));
    expect(wrong.status).toBe('corrupt');
    expect(wrong.message).toMatch(/disagrees with the frames already read/);
    expect(assembler.progress()).toMatchObject({ complete: true, corrupt: 1, duplicates: 1 });
  });

  it('property: any payload, any density, any order of enough frames reassembles the payload', () => {
    const transfer = fc.tuple(
      fc.uint8Array({ minLength: 1, maxLength: 6000 }),
      fc.constantFrom('low' as const, 'normal' as const, 'high' as const),
      fc.integer({ min: 1, max: 2 ** 31 }),
    );
    check(transfer, ([payload, density, seed]) => {
      const sequence = new QrFrameSequence('wrapped-keys', payload, density);
      const random = seeded(seed);
      const assembler = new FrameAssembler({ kind: 'wrapped-keys' });
      const limit = sequence.count * 12 + 20;
      let complete = false;
      for (let n = 1; n <= limit && !complete; n++) {
        if (random() < 0.4) continue;
        const status = assembler.add(sequence.frameAt(n)).status;
        expect(['accepted', 'duplicate']).toContain(status);
        complete = assembler.progress().complete;
      }
      expect(complete).toBe(true);
      expect(assembler.result().payload).toStrictEqual(payload);
    });
  });
});
