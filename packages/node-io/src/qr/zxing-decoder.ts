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
  return (await decodeQrCodesWithZxing(image, 1))[0];
}

/**
 * Every valid QR code ZXing finds in the image, up to `max`, in the order it reports them: a
 * printed page holds several (a share page's parts).
 */
export async function decodeQrCodesWithZxing(image: RgbaImage, max: number): Promise<string[]> {
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
    { formats: ['QRCode'], tryHarder: true, tryInvert: true, maxNumberOfSymbols: max },
  );
  return found.filter((r) => r.isValid && r.text !== '').map((r) => r.text);
}
