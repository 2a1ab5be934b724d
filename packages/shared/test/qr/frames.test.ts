import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase45, encodeBase45 } from '../../src/qr/base45.js';
import { crc32 } from '../../src/qr/crc32.js';
import { QR_DENSITIES, QR_DENSITY_PROFILES, parseQrDensity } from '../../src/qr/density.js';
import { FrameAssembler } from '../../src/qr/frame-assembler.js';
import { parseFrame } from '../../src/qr/parse-frame.js';
import { splitIntoFrames } from '../../src/qr/split-into-frames.js';
import { ByokError } from '../../src/errors.js';

const shuffle = <T>(items: T[]): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomBytes(4).readUInt32LE() % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

describe('Base45 and CRC-32', () => {
  it('matches RFC 9285 and the CRC-32 check value', () => {
    expect(encodeBase45(new TextEncoder().encode('AB'))).toBe('BB8');
    expect(encodeBase45(new TextEncoder().encode('Hello!!'))).toBe('%69 VD92EX0');
    expect(new TextDecoder().decode(decodeBase45('QED8WEX0'))).toBe('ietf!');
    expect(decodeBase45('GGW')).toBeUndefined(); // 65536 overflows
    expect(decodeBase45('a')).toBeUndefined();
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips random bytes', () => {
    for (let n = 0; n < 50; n++) {
      const bytes = randomBytes(n);
      expect(Buffer.from(decodeBase45(encodeBase45(bytes))!)).toEqual(bytes);
    }
  });
});

describe('splitIntoFrames / FrameAssembler', () => {
  for (const density of QR_DENSITIES) {
    it(`round-trips random payloads at density ${density}, in any order, with duplicates`, () => {
      for (const size of [1, 100, 999, 4321, 20_000]) {
        const payload = randomBytes(size);
        const frames = splitIntoFrames('import-request', payload, density);
        for (const f of frames) {
          expect(f).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
          expect((decodeBase45(f)?.length ?? 0) <= QR_DENSITY_PROFILES[density].frameBytes).toBe(
            true,
          );
        }
        const assembler = new FrameAssembler({ kind: 'import-request' });
        const statuses = shuffle([...frames, ...frames.slice(0, 2)]).map(
          (f) => assembler.add(f).status,
        );
        expect(statuses.filter((s) => s === 'accepted')).toHaveLength(frames.length);
        expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(Math.min(2, frames.length));
        const result = assembler.result();
        expect(Buffer.from(result.payload)).toEqual(payload);
        expect(result.kind).toBe('import-request');
        expect(result.frames).toBe(frames.length);
      }
    });
  }

  it('says which frames are missing and refuses an incomplete result', () => {
    const frames = splitIntoFrames('import-request', randomBytes(2000), 'low');
    expect(frames.length).toBeGreaterThanOrEqual(5);
    const assembler = new FrameAssembler();
    expect(assembler.progress()).toMatchObject({ received: 0, total: 0, complete: false });
    frames.forEach((f, i) => {
      if (i !== 1 && i !== 3) assembler.add(f);
    });
    const progress = assembler.progress();
    expect(progress.missing).toEqual([1, 3]);
    expect(progress.received).toBe(frames.length - 2);
    expect(() => assembler.result()).toThrow(/incomplete: .*missing 2, 4/);
  });

  it('rejects frames of another transfer instead of merging them', () => {
    const a = splitIntoFrames('import-request', randomBytes(1500), 'normal');
    const b = splitIntoFrames('import-request', randomBytes(1500), 'normal');
    const assembler = new FrameAssembler();
    expect(assembler.add(a[0]!).status).toBe('accepted');
    const foreign = assembler.add(b[1]!);
    expect(foreign.status).toBe('foreign');
    expect(foreign.message).toMatch(/another transfer .* rejected, not merged/);
    for (const f of a.slice(1)) assembler.add(f);
    expect(assembler.progress().foreign).toBe(1);
    expect(assembler.result().payload).toHaveLength(1500);
  });

  it('rejects a transfer of the wrong kind', () => {
    const assembler = new FrameAssembler({ kind: 'import-request' });
    const result = assembler.add(splitIntoFrames('wrapped-keys', randomBytes(10))[0]!);
    expect(result).toMatchObject({ status: 'foreign' });
    expect(result.message).toMatch(/wrapped-keys bundle, not the import-request bundle/);
  });

  it('detects every single flipped bit', () => {
    const [frame] = splitIntoFrames('wrapped-keys', randomBytes(300), 'normal');
    const bytes = decodeBase45(frame!)!;
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const bad = Uint8Array.from(bytes);
      bad[bit >> 3]! ^= 1 << (bit & 7);
      const assembler = new FrameAssembler();
      expect(assembler.add(encodeBase45(bad)).status).toBe('corrupt');
    }
    expect(() => parseFrame(frame!.slice(0, -3) + '000')).toThrow(/checksum mismatch|not Base45/);
  });

  it('gives clear errors for text that is not a frame', () => {
    const err = (() => {
      try {
        parseFrame('https://example.com/');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ByokError);
    expect((err as ByokError).code).toBe('ERR_QR');
    expect((err as ByokError).message).toMatch(/not a byok-ceremony frame/);
    expect(() => parseFrame(encodeBase45(new Uint8Array(40)))).toThrow(/no BQ magic/);
    expect(() => new FrameAssembler().result()).toThrow(/no byok-ceremony QR frame was read/);
  });

  it('parses densities and refuses unknown ones', () => {
    expect(parseQrDensity('high')).toBe('high');
    expect(() => parseQrDensity('max')).toThrow(/unknown QR density 'max'/);
  });
});
