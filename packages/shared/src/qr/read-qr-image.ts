import { ByokError, isByokError } from '../errors.js';
import { decodeQrFromRgba, type QrDecodeResult } from './decode-qr-rgba.js';
import type { RgbaImage } from './gray-image.js';
import { readImageHeader, type QrImageFormat } from './image-header.js';

/**
 * The image decoders, passed in by the io layer (pngjs needs Node's zlib, so it cannot live
 * here). Each may throw on a broken file; the error is reported as ERR_QR with the file name.
 */
/**
 * A second decoder, tried before jsQR's passes (the io layers pass ZXing's C++ core as
 * WebAssembly: faster, and it reads the noisy and blurred images jsQR misses); jsQR's passes
 * still run on what it misses.
 */
export type QrFallbackDecoder = (image: RgbaImage) => Promise<string | undefined>;

export type QrImageCodecs = Readonly<Record<QrImageFormat, (bytes: Uint8Array) => RgbaImage>>;

/**
 * The text of the QR code in a PNG or JPEG file, or undefined when it shows none. Throws
 * ByokError('ERR_QR') for a file that is not a readable image or is above the pixel limit.
 */
export async function readQrImage(
  bytes: Uint8Array,
  name: string,
  codecs: QrImageCodecs,
  fallback?: QrFallbackDecoder,
): Promise<QrDecodeResult | undefined> {
  const header = readImageHeader(bytes, name);
  let image: RgbaImage;
  try {
    image = codecs[header.format](bytes);
  } catch (err) {
    if (isByokError(err)) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new ByokError(
      'ERR_QR',
      `${name}: truncated or corrupt ${header.format.toUpperCase()} image (${why})`,
      {
        cause: err,
        hint: 'copy the image again, whole; a partly written file cannot be read',
      },
    );
  }
  if (image.width !== header.width || image.height !== header.height)
    throw new ByokError('ERR_QR', `${name}: decoded image size disagrees with its header`);
  // ZXing first when available: jsQR takes seconds on a noisy 720p frame, ZXing tens of ms.
  if (fallback !== undefined) {
    const text = await fallback(image);
    if (text !== undefined && text !== '') return { text, pass: 'zxing' };
  }
  return decodeQrFromRgba(image, { budgetMs: 2500 });
}
