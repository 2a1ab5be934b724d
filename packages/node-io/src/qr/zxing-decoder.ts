import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { RgbaImage } from './gray-image.js';

let zxingReady: Promise<unknown> | undefined;

/**
 * ZXing's C++ reader as WebAssembly, tried before jsQR's passes (docs/performance.md: faster,
 * and it reads the noisy and blurred images jsQR misses). The .wasm is loaded from the
 * installed package, never fetched: zxing-wasm would otherwise download it from a CDN.
 */
export async function decodeQrWithZxing(image: RgbaImage): Promise<string | undefined> {
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
}
