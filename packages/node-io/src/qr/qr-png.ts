import { PNG } from 'pngjs';
import type { QrMatrix } from './qr-matrix.js';

export interface QrPngOptions {
  /** Pixels per module. */
  readonly scale?: number;
  /** Quiet zone in modules; the standard asks for 4. */
  readonly margin?: number;
}

/** An 8-bit grayscale PNG of a QR symbol, black on white with its quiet zone. */
export function encodeQrPng(matrix: QrMatrix, options: QrPngOptions = {}): Buffer {
  const scale = options.scale ?? 6;
  const margin = options.margin ?? 4;
  const side = (matrix.size + 2 * margin) * scale;
  const pixels = Buffer.alloc(side * side, 0xff);
  // One pixel row per module row, copied `scale` times: a per-pixel loop is most of the time.
  for (let my = 0; my < matrix.size; my++) {
    const rowStart = (my + margin) * scale * side;
    const row = pixels.subarray(rowStart, rowStart + side);
    for (let mx = 0; mx < matrix.size; mx++) {
      if (matrix.modules[my * matrix.size + mx] !== 1) continue;
      const x = (mx + margin) * scale;
      row.fill(0, x, x + scale);
    }
    for (let copy = 1; copy < scale; copy++) row.copy(pixels, rowStart + copy * side);
  }
  // Sized after construction: given a size, pngjs would first allocate an RGBA buffer of it.
  const png = new PNG();
  png.width = side;
  png.height = side;
  png.data = pixels;
  return PNG.sync.write(png, {
    colorType: 0,
    inputColorType: 0,
    inputHasAlpha: false,
    bitDepth: 8,
    // The "Up" filter: a scaled symbol repeats each row `scale` times, so most filtered rows are
    // zeros; pngjs would otherwise try all five filters on every row (about 5× slower, larger).
    filterType: 2,
  });
}
