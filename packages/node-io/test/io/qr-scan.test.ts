import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ByokError,
  bundleDigest,
  bundleFromQrTransfer,
  bundleToQrFrames,
  splitIntoFrames,
  type ImportRequestBundle,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript shared with the benchmark
import { sampleImportRequest, sampleWrappedKeys } from '../../../../bench/qr/sample-bundles.mjs';
import {
  decodeQrWithZxing,
  qrImageCodecs,
  readQrImage,
  scanQrImageFiles,
} from '../../src/io/qr-scan.js';
import { writeQrFrameDirectory } from '../../src/io/qr-write.js';
import { encodeQrPng } from '../../src/qr/qr-png.js';
import { renderQrMatrix } from '../../src/qr/qr-matrix.js';

const work = mkdtempSync(join(tmpdir(), 'byok-qr-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(work, `d${n++}`);

const request = (keys: number): ImportRequestBundle =>
  (sampleImportRequest as (n: number) => ImportRequestBundle)(keys);
const answer = (req: ImportRequestBundle): WrappedKeyBundle =>
  (sampleWrappedKeys as (r: ImportRequestBundle, o: object) => WrappedKeyBundle)(req, {
    requestDigest: bundleDigest(req),
  });

async function errorOf(p: Promise<unknown>): Promise<ByokError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ByokError);
    return e as ByokError;
  }
  throw new Error('expected a ByokError');
}

describe('QR transport by images alone, both ways', () => {
  for (const keys of [1, 10]) {
    it(`moves a ${keys}-key ceremony: request online→offline, answer offline→online`, async () => {
      const req = request(keys);
      const out = fresh();
      const { names } = await writeQrFrameDirectory(out, bundleToQrFrames(req), {
        kind: 'import-request',
      });
      expect(names.at(-1)).toBe('index.html');
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
      const lines: string[] = [];
      const transfer = await scanQrImageFiles([out], {
        kind: 'import-request',
        onImage: (e) => lines.push(e.status),
      });
      const got = bundleFromQrTransfer(transfer, 'import-request');
      expect(bundleDigest(got)).toBe(bundleDigest(req));

      const ans = answer(got);
      const back = fresh();
      await writeQrFrameDirectory(back, bundleToQrFrames(ans), { kind: 'wrapped-keys' });
      const returned = bundleFromQrTransfer(
        await scanQrImageFiles([back], { kind: 'wrapped-keys' }),
        'wrapped-keys',
      );
      expect(bundleDigest(returned)).toBe(bundleDigest(ans));
    });
  }

  it('reads frames in any order with repeats, as a looping video split into stills gives', async () => {
    const frames = bundleToQrFrames(request(1), 'low');
    const dir = fresh();
    mkdirSync(dir);
    const order = [2, 0, 2, 1, 4, 3, 0, ...frames.keys()];
    order.forEach((f, i) => {
      writeFileSync(
        join(dir, `still-${i}.png`),
        encodeQrPng(renderQrMatrix(frames[f]!), { scale: 4 }),
      );
    });
    const seen: string[] = [];
    const t = await scanQrImageFiles([dir], { onImage: (e) => seen.push(e.status) });
    expect(t.frames).toBe(frames.length);
    expect(seen).toContain('duplicate');
  });
});

describe('QR scanning of bad input', () => {
  it('decodes a JPEG webcam still', async () => {
    const [frame] = splitIntoFrames('wrapped-keys', new Uint8Array(400).fill(3));
    const img = PNG.sync.read(Buffer.from(encodeQrPng(renderQrMatrix(frame!), { scale: 5 })));
    const jpg = jpeg.encode({ data: img.data, width: img.width, height: img.height }, 40).data;
    expect((await readQrImage(jpg, 'still.jpg', { zxing: false }))?.text).toBe(frame);
  });

  it('rejects frames of two transfers mixed, with a clear message, and writes no bundle', async () => {
    const a = splitIntoFrames('import-request', new Uint8Array(1200).fill(1), 'normal');
    const b = splitIntoFrames('import-request', new Uint8Array(1200).fill(2), 'normal');
    const dir = fresh();
    mkdirSync(dir);
    [a[0]!, b[1]!, a[1]!].forEach((f, i) => {
      writeFileSync(join(dir, `${i}.png`), encodeQrPng(renderQrMatrix(f), { scale: 4 }));
    });
    const err = await errorOf(scanQrImageFiles([dir]));
    expect(err.code).toBe('ERR_QR');
    expect(err.message).toMatch(/incomplete.*another transfer .* rejected, not merged/);
  });

  it('reports an image with no QR code', async () => {
    const png = new PNG({ width: 640, height: 480 });
    png.data.fill(200);
    const file = join(work, 'blank.png');
    writeFileSync(file, PNG.sync.write(png));
    expect(await readQrImage(readFileSync(file), file)).toBeUndefined();
    const err = await errorOf(scanQrImageFiles([file]));
    expect(err.message).toMatch(/no byok-ceremony QR frame was read.*blank\.png: no QR code found/);
  });

  it('reports a truncated PNG and a file that is not an image', async () => {
    const [frame] = splitIntoFrames('wrapped-keys', new Uint8Array(100));
    const png = encodeQrPng(renderQrMatrix(frame!));
    const err = await errorOf(readQrImage(png.subarray(0, png.length / 2), 'cut.png'));
    expect(err.message).toMatch(/cut\.png: truncated or corrupt PNG image/);
    expect((await errorOf(readQrImage(png.subarray(0, 20), 'tiny.png'))).message).toMatch(
      /truncated or corrupt PNG/,
    );
    expect((await errorOf(readQrImage(new TextEncoder().encode('{}'), 'x.json'))).message).toMatch(
      /not a PNG or JPEG/,
    );
  });

  it('refuses a 40-megapixel image from its header, with a clear message', async () => {
    const [frame] = splitIntoFrames('import-request', new Uint8Array(500).fill(9));
    const matrix = renderQrMatrix(frame!);
    const png = encodeQrPng(matrix, { scale: Math.ceil(Math.sqrt(40e6) / (matrix.size + 8)) });
    // At once: refused from the header, so neither decoder ever sees the pixels.
    const decoded: string[] = [];
    const counting = {
      codecs: {
        png: (bytes: Uint8Array) => (decoded.push('png'), qrImageCodecs.png(bytes)),
        jpeg: (bytes: Uint8Array) => (decoded.push('jpeg'), qrImageCodecs.jpeg(bytes)),
      },
      decodeZxing: (image: Parameters<typeof decodeQrWithZxing>[0]) => (
        decoded.push('zxing'),
        decodeQrWithZxing(image)
      ),
    };
    const err = await errorOf(readQrImage(png, 'huge.png', counting));
    expect(err.message).toMatch(
      /huge\.png: image of \d+×\d+ \(4\d\.\d megapixels\) exceeds the 24-megapixel limit/,
    );
    expect(decoded).toEqual([]);
    // The same counters see a decode when there is one.
    await readQrImage(encodeQrPng(matrix), 'small.png', counting);
    expect(decoded).toEqual(['png', 'zxing']);
  });

  it('falls back to jsQR only when ZXing cannot run, never as a second try', async () => {
    const [frame] = splitIntoFrames('import-request', new Uint8Array(300).fill(7));
    const png = encodeQrPng(renderQrMatrix(frame!));
    const unloadable = async (): Promise<string | undefined> => {
      await Promise.resolve();
      throw new Error('WebAssembly.instantiate(): the module cannot be compiled');
    };
    const fallback = await readQrImage(png, 'clean.png', { decodeZxing: unloadable });
    expect(fallback?.text).toBe(frame);
    expect(fallback?.pass).not.toBe('zxing');
    // ZXing ran and found nothing: no jsQR passes after it (jsQR would read this clean image).
    const missed = await readQrImage(png, 'clean.png', {
      decodeZxing: () => Promise.resolve(undefined),
    });
    expect(missed).toBeUndefined();
    expect((await readQrImage(png, 'clean.png'))?.pass).toBe('zxing');
  });

  it('decodes a large (12-megapixel) still by scaling it down', async () => {
    const [frame] = splitIntoFrames('import-request', new Uint8Array(500).fill(9));
    const matrix = renderQrMatrix(frame!);
    const png = encodeQrPng(matrix, { scale: Math.ceil(Math.sqrt(12e6) / (matrix.size + 8)) });
    expect((await readQrImage(png, 'big.png'))?.text).toBe(frame);
  });

  it('refuses an image above the pixel limit before decoding it', async () => {
    const header = Buffer.from(encodeQrPng(renderQrMatrix('A'), { scale: 1 }));
    header.writeUInt32BE(10_000, 16);
    header.writeUInt32BE(8_000, 20);
    const err = await errorOf(readQrImage(header, 'big.png'));
    expect(err.message).toMatch(/10000×8000 \(80\.0 megapixels\) exceeds the 24-megapixel limit/);
    expect(err.hint).toMatch(/scale or crop/);
  });
});
