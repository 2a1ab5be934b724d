import { readFileSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ByokError,
  readQrTransfer,
  type AssembledTransfer,
  type QrFallbackDecoder,
  type QrImageCodecs,
  type QrImageSource,
  type QrPayloadKind,
  type QrScanEvent,
} from '@byok-ceremony/shared';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

/** pngjs and jpeg-js behind the shared decoder; limits match QR_MAX_IMAGE_PIXELS. */
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

let zxingReady: Promise<unknown> | undefined;

/**
 * ZXing's C++ reader as WebAssembly, the fallback after jsQR's first pass (docs/performance.md:
 * jsQR alone falls behind zbar on noisy and low-contrast images). The .wasm is loaded from the
 * installed package, never fetched: zxing-wasm would otherwise download it from a CDN.
 */
export const zxingFallback: QrFallbackDecoder = async (image) => {
  zxingReady ??= (async () => {
    const wasm = fileURLToPath(import.meta.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    const wasmBinary = readFileSync(wasm);
    const buffer = wasmBinary.buffer.slice(
      wasmBinary.byteOffset,
      wasmBinary.byteOffset + wasmBinary.byteLength,
    );
    return prepareZXingModule({ overrides: { wasmBinary: buffer }, fireImmediately: true });
  })();
  await zxingReady;
  const data = new Uint8ClampedArray(
    image.data.buffer,
    image.data.byteOffset,
    image.width * image.height * 4,
  );
  const found = await readBarcodes(
    { data, width: image.width, height: image.height, colorSpace: 'srgb' },
    { formats: ['QRCode'], tryHarder: true, tryInvert: true, maxNumberOfSymbols: 1 },
  );
  return found.find((r) => r.isValid)?.text;
};

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

export interface ScanQrFilesOptions {
  /** The bundle kind this command reads; frames of the other kind are rejected. */
  readonly kind?: QrPayloadKind;
  /** Called after each image, e.g. to print formatFrameProgress(event.progress). */
  readonly onImage?: (event: QrScanEvent) => void;
}

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
        return await readFile(file);
      } catch (err) {
        throw new ByokError('ERR_QR', `cannot read image ${file}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    },
  }));
  return readQrTransfer(sources, { codecs: qrImageCodecs, fallback: zxingFallback, ...options });
}
