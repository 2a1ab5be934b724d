import { ByokError, isByokError } from '@byok-ceremony/shared';
import { decodeQrFromRgba, type QrDecodeResult } from './decode-qr-rgba.js';
import type { RgbaImage } from './gray-image.js';
import { qrImageCodecs, type QrImageCodecs } from './image-codecs.js';
import { readImageHeader } from './image-header.js';
import { decodeQrCodesWithZxing, decodeQrWithZxing } from './zxing-decoder.js';

/** jsQR's passes stop starting after this long on one image: noisy images make jsQR slow. */
export const JSQR_BUDGET_MS = 2500;

export interface ReadQrImageOptions {
  /** Decode with ZXing (the default); false runs jsQR's passes alone. */
  readonly zxing?: boolean;
  /** The clock jsQR's budget is measured with; `performance.now` unless given. */
  readonly clock?: () => number;
  /** The image codecs and the ZXing decoder, pngjs/jpeg-js and zxing-wasm unless given (tests count calls). */
  readonly codecs?: QrImageCodecs;
  readonly decodeZxing?: (image: RgbaImage) => Promise<string | undefined>;
}

/**
 * The text of the QR code in a PNG or JPEG file, or undefined when it shows none. Throws
 * ByokError('ERR_QR') for a file that is not a readable image or is above the pixel limit.
 */
export async function readQrImage(
  bytes: Uint8Array,
  name: string,
  options: ReadQrImageOptions = {},
): Promise<QrDecodeResult | undefined> {
  const image = decodeImage(bytes, name, options);
  // ZXing decodes every image jsQR decodes and more (bench/qr-robustness.mjs: 94 of 96 camera-like
  // images against jsQR's 60, none by jsQR alone), in tens of ms where jsQR takes seconds on a
  // noisy frame. So jsQR runs only where ZXing's WebAssembly module cannot load or run (a Node
  // without WebAssembly, a damaged .wasm): it is the pure-JavaScript fallback, not a second try.
  if (options.zxing !== false) {
    let text: string | undefined;
    try {
      text = await (options.decodeZxing ?? decodeQrWithZxing)(image);
    } catch {
      return decodeWithJsqr(image, options);
    }
    return text === undefined || text === '' ? undefined : { text, pass: 'zxing' };
  }
  return decodeWithJsqr(image, options);
}

/** At most this many QR codes are read from one image: a printed page holds a dozen or so. */
export const QR_CODES_PER_IMAGE_MAX = 64;

/**
 * The texts of every QR code in a PNG or JPEG file (a scanned or photographed page), none when
 * it shows none. ZXing finds them all; where it cannot run, jsQR finds one. Throws as readQrImage.
 */
export async function readQrImageCodes(
  bytes: Uint8Array,
  name: string,
  options: Omit<ReadQrImageOptions, 'decodeZxing'> = {},
): Promise<string[]> {
  const image = decodeImage(bytes, name, options);
  try {
    if (options.zxing !== false) {
      try {
        return await decodeQrCodesWithZxing(image, QR_CODES_PER_IMAGE_MAX);
      } catch {
        // As in readQrImage: jsQR only where ZXing cannot run.
      }
    }
    const one = decodeWithJsqr(image, options);
    return one === undefined ? [] : [one.text];
  } finally {
    // The pixels may show a secret (a share page): not left in memory longer than needed.
    image.data.fill(0);
  }
}

/** The image's pixels, checked against its header; ERR_QR for what is no readable image. */
function decodeImage(
  bytes: Uint8Array,
  name: string,
  options: Pick<ReadQrImageOptions, 'codecs'>,
): RgbaImage {
  const header = readImageHeader(bytes, name);
  let image: RgbaImage;
  try {
    image = (options.codecs ?? qrImageCodecs)[header.format](bytes);
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
  return image;
}

function decodeWithJsqr(image: RgbaImage, options: ReadQrImageOptions): QrDecodeResult | undefined {
  return decodeQrFromRgba(image, {
    budgetMs: JSQR_BUDGET_MS,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
}
