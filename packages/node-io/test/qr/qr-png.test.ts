import { PNG } from 'pngjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeQrPng } from '../../src/qr/qr-png.js';

/** The symbol drawn pixel by pixel: black modules, white quiet zone of `margin` modules. */
function referencePixels(size: number, modules: Uint8Array, scale: number, margin: number): Buffer {
  const side = (size + 2 * margin) * scale;
  const pixels = Buffer.alloc(side * side, 0xff);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const my = Math.floor(y / scale) - margin;
      const mx = Math.floor(x / scale) - margin;
      if (my >= 0 && my < size && mx >= 0 && mx < size && modules[my * size + mx] === 1)
        pixels[y * side + x] = 0;
    }
  return pixels;
}

describe('encodeQrPng', () => {
  it('draws every module as a scale × scale black square inside the quiet zone', () => {
    const symbol = fc
      .record({
        size: fc.integer({ min: 1, max: 45 }),
        scale: fc.integer({ min: 1, max: 8 }),
        margin: fc.integer({ min: 0, max: 4 }),
        seed: fc.integer(),
      })
      .map(({ size, scale, margin, seed }) => {
        let state = seed | 1;
        const modules = Uint8Array.from({ length: size * size }, () => {
          state = (state * 1103515245 + 12345) & 0x7fffffff;
          return state & 1;
        });
        return { size, scale, margin, modules };
      });
    fc.assert(
      fc.property(symbol, ({ size, scale, margin, modules }) => {
        const png = PNG.sync.read(encodeQrPng({ size, version: 1, modules }, { scale, margin }));
        const side = (size + 2 * margin) * scale;
        expect([png.width, png.height]).toEqual([side, side]);
        const gray = Buffer.alloc(side * side);
        for (let i = 0; i < gray.length; i++) gray[i] = png.data[i * 4]!;
        expect(gray.equals(referencePixels(size, modules, scale, margin))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
