import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { zxingReaderWasm } from '../io/zxing-reader-wasm.js';
import type { RgbaImage } from './gray-image.js';

let zxingReady: Promise<unknown> | undefined;

/**
 * ZXing's C++ reader as WebAssembly, the QR decoder (docs/performance.md: faster, and it reads the
 * noisy and blurred images jsQR misses; jsQR runs only if this throws). The .wasm is always handed
 * over (zxingReaderWasm), never fetched: zxing-wasm would otherwise download it from a CDN. A
 * module that failed to load is tried again on the next image, not remembered as failed.
 */
export async function decodeQrWithZxing(image: RgbaImage): Promise<string | undefined> {
  zxingReady ??= prepareZXingModule({
    overrides: { wasmBinary: zxingReaderWasm() },
    fireImmediately: true,
  });
  await zxingReady.catch((error: unknown) => {
    zxingReady = undefined;
    throw error;
  });
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
}
