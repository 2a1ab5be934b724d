import { splitIntoFrames } from '@byok-ceremony/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeQrPng } from '../../src/qr/qr-png.js';
import { renderQrMatrix } from '../../src/qr/qr-matrix.js';

// zxing-wasm's default would fetch its .wasm from a CDN: any fetch here is a failure.
const fetchCalls: unknown[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (...args: unknown[]) => {
  fetchCalls.push(args);
  return Promise.reject(new Error('the network is not to be used'));
};
Reflect.deleteProperty(globalThis, 'XMLHttpRequest');
afterAll(() => {
  globalThis.fetch = realFetch;
});

describe('ZXing runs from the installed package', () => {
  it('decodes a QR code with its .wasm read from node_modules, never fetched', async () => {
    // Imported after the trap is set, so that its first use happens under it.
    const { qrImageCodecs, decodeQrWithZxing: zxingFallback } =
      await import('../../src/io/qr-scan.js');
    const [frame] = splitIntoFrames('import-request', new Uint8Array(300).fill(7));
    const image = qrImageCodecs.png(encodeQrPng(renderQrMatrix(frame!)));
    expect(await zxingFallback(image)).toBe(frame);
    expect(await zxingFallback({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 4) })).toBe(
      undefined,
    );
    expect(fetchCalls).toEqual([]);
  });
});
