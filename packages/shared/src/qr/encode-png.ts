import { concatBytes } from '../encoding/utf8.js';
import { crc32 } from './crc32.js';
import type { QrMatrix } from './qr-matrix.js';

export interface QrPngOptions {
  /** Pixels per module. */
  readonly scale?: number;
  /** Quiet zone in modules; the standard asks for 4. */
  readonly margin?: number;
}

const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
};

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function chunk(type: string, data: Uint8Array): Uint8Array {
  const typed = concatBytes(ascii(type), data);
  return concatBytes(u32(data.length), typed, u32(crc32(typed)));
}

/** zlib stream of stored (uncompressed) deflate blocks: 1-bit pixels are small enough. */
function zlibStored(data: Uint8Array): Uint8Array {
  const blocks: Uint8Array[] = [Uint8Array.of(0x78, 0x01)];
  const count = Math.max(1, Math.ceil(data.length / 0xffff));
  for (let i = 0; i < count; i++) {
    const part = data.subarray(i * 0xffff, (i + 1) * 0xffff);
    const n = part.length;
    const last = i === count - 1 ? 1 : 0;
    blocks.push(Uint8Array.of(last, n & 0xff, n >> 8, ~n & 0xff, (~n >> 8) & 0xff), part);
  }
  let a = 1;
  let b = 0;
  for (const v of data) {
    a = (a + v) % 65521;
    b = (b + a) % 65521;
  }
  blocks.push(u32((b << 16) | a));
  return concatBytes(...blocks);
}

/** A 1-bit grayscale PNG of a QR symbol, black on white with its quiet zone. */
export function encodeQrPng(matrix: QrMatrix, options: QrPngOptions = {}): Uint8Array {
  const scale = options.scale ?? 6;
  const margin = options.margin ?? 4;
  const side = (matrix.size + 2 * margin) * scale;
  const rowBytes = Math.ceil(side / 8);
  const raw = new Uint8Array((rowBytes + 1) * side).fill(0xff);
  for (let y = 0; y < side; y++) {
    const row = y * (rowBytes + 1);
    raw[row] = 0; // filter: none
    const my = Math.floor(y / scale) - margin;
    if (my < 0 || my >= matrix.size) continue;
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - margin;
      if (mx < 0 || mx >= matrix.size || matrix.modules[my * matrix.size + mx] !== 1) continue;
      raw[row + 1 + (x >> 3)]! &= ~(0x80 >> (x & 7));
    }
  }
  const header = concatBytes(u32(side), u32(side), Uint8Array.of(1, 0, 0, 0, 0));
  return concatBytes(
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', header),
    chunk('IDAT', zlibStored(raw)),
    chunk('IEND', new Uint8Array(0)),
  );
}
