import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbaImage } from './gray-image.js';
import type { QrImageFormat } from './image-header.js';

export type QrImageCodecs = Readonly<Record<QrImageFormat, (bytes: Uint8Array) => RgbaImage>>;

/** pngjs and jpeg-js; their limits match QR_MAX_IMAGE_PIXELS. */
export const qrImageCodecs: QrImageCodecs = {
  png: (bytes) => PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  jpeg: (bytes) =>
    jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: 25,
      maxMemoryUsageInMB: 1024,
    }),
};
