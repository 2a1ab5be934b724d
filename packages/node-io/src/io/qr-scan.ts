import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ByokError, type AssembledTransfer } from '@byok-ceremony/shared';
import {
  readQrTransfer,
  type QrImageSource,
  type ReadQrTransferOptions,
} from '../qr/read-qr-transfer.js';
import { QR_IMAGE_FILE_MAX_BYTES } from './input-limits.js';
import { readFileBounded } from './read-bounded.js';

// The decoders, loaded only with this module ('@byok-ceremony/node-io/qr-scan').
export {
  QR_CODES_PER_IMAGE_MAX,
  readQrImage,
  readQrImageCodes,
  type ReadQrImageOptions,
} from '../qr/read-qr-image.js';
export type { QrDecodeResult } from '../qr/decode-qr-rgba.js';
export { qrImageCodecs, type QrImageCodecs } from '../qr/image-codecs.js';
export { decodeQrWithZxing } from '../qr/zxing-decoder.js';
export { formatFrameProgress } from '../qr/format-progress.js';
export {
  readQrTransfer,
  type QrImageSource,
  type QrScanEvent,
  type ReadQrTransferOptions,
} from '../qr/read-qr-transfer.js';

const IMAGE_FILE = /\.(png|jpe?g)$/i;

/** Files named on the command line, and the PNG/JPEG files of named folders in name order. */
export async function listQrImageFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch {
      throw new ByokError('ERR_INPUT_FILE', `image ${path} does not exist`, {
        hint: 'name PNG or JPEG files, or a folder of them',
      });
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path))
      .filter((name) => IMAGE_FILE.test(name) && !name.startsWith('.'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (names.length === 0)
      throw new ByokError('ERR_INPUT_FILE', `folder ${path} has no PNG or JPEG image`, {
        hint: 'save the camera stills or video frames as .png or .jpg files there',
      });
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
}

export type ScanQrFilesOptions = Pick<ReadQrTransferOptions, 'kind' | 'onImage'>;

/** Read one transfer from image files and folders (`scan IMAGE|DIR ...`, `import --scan`). */
export async function scanQrImageFiles(
  paths: readonly string[],
  options: ScanQrFilesOptions = {},
): Promise<AssembledTransfer> {
  const files = await listQrImageFiles(paths);
  const sources: QrImageSource[] = files.map((file) => ({
    name: file,
    read: async () => {
      try {
        return await readFileBounded(file, QR_IMAGE_FILE_MAX_BYTES);
      } catch (err) {
        throw new ByokError('ERR_QR', `cannot read image ${file}: ${(err as Error).message}`, {
          hint: `Give PNG or JPEG stills of at most ${QR_IMAGE_FILE_MAX_BYTES} bytes.`,
          cause: err,
        });
      }
    },
  }));
  return readQrTransfer(sources, options);
}
