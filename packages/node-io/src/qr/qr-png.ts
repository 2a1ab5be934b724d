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
  for (let y = 0; y < side; y++) {
    const my = Math.floor(y / scale) - margin;
    if (my < 0 || my >= matrix.size) continue;
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - margin;
      if (mx >= 0 && mx < matrix.size && matrix.modules[my * matrix.size + mx] === 1)
        pixels[y * side + x] = 0;
    }
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
  });
}
