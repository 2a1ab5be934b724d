import { ByokError } from '@byok-ceremony/shared';

export type QrImageFormat = 'png' | 'jpeg';

export interface ImageHeader {
  readonly format: QrImageFormat;
  readonly width: number;
  readonly height: number;
}

/**
 * Images above this many pixels (a 24-megapixel camera still is 6000 × 4000) are refused from
 * their header, before decoding: pngjs needs about 25 s for a 40-megapixel PNG. Below it,
 * large images are scaled down before the QR search.
 */
export const QR_MAX_IMAGE_PIXELS = 24_000_000;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SOF = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);

const unreadable = (name: string, why: string): ByokError =>
  new ByokError('ERR_QR', `${name}: ${why}`, {
    hint: 'give PNG or JPEG files as the camera or screenshot tool wrote them, whole',
  });

/** Format and size from the first bytes, so that a huge or broken image is refused cheaply. */
export function readImageHeader(bytes: Uint8Array, name = 'image'): ImageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: ImageHeader | undefined;
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR')
      throw unreadable(name, 'truncated or corrupt PNG (no IHDR header)');
    header = { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  } else if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    let at = 2;
    while (header === undefined) {
      while (at < bytes.length && bytes[at] === 0xff && bytes[at + 1] === 0xff) at++;
      if (at + 4 > bytes.length || bytes[at] !== 0xff)
        throw unreadable(name, 'truncated or corrupt JPEG (no frame header)');
      const marker = bytes[at + 1]!;
      const length = view.getUint16(at + 2);
      if (JPEG_SOF.has(marker)) {
        if (at + 9 > bytes.length) throw unreadable(name, 'truncated JPEG frame header');
        header = { format: 'jpeg', height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
      }
      at += 2 + length;
    }
  } else {
    throw unreadable(name, 'not a PNG or JPEG image');
  }
  if (header.width === 0 || header.height === 0) throw unreadable(name, 'image has no pixels');
  const pixels = header.width * header.height;
  if (pixels > QR_MAX_IMAGE_PIXELS)
    throw new ByokError(
      'ERR_QR',
      `${name}: image of ${header.width}×${header.height} (${(pixels / 1e6).toFixed(1)} megapixels) exceeds the ${QR_MAX_IMAGE_PIXELS / 1e6}-megapixel limit`,
      { hint: 'scale or crop the image to the QR code first; a 1280×720 still is plenty' },
    );
  return header;
}
