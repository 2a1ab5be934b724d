// QR robustness: camera-like 1280×720 images of real frames, decoded by our scanner (the one
// byok-offline scan and byok-online import --scan use) and by zbarimg on the same files; and by
// each of our two decoders alone (ZXing's wasm, jsQR's passes), to show what each one earns.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { bundleToQrFrames } from '../packages/shared/dist/index.js';
import { renderQrMatrix } from '../packages/node-io/dist/qr/qr-encode.js';
import { readQrImage } from '../packages/node-io/dist/io/qr-scan.js';
import { qrImageCodecs } from '../packages/node-io/dist/qr/image-codecs.js';
import { decodeQrWithZxing } from '../packages/node-io/dist/qr/zxing-decoder.js';
import { decodeQrFromRgba } from '../packages/node-io/dist/qr/decode-qr-rgba.js';
import { JSQR_BUDGET_MS } from '../packages/node-io/dist/qr/read-qr-image.js';
import {
  HEIGHT,
  WIDTH,
  addNoise,
  background,
  boxBlur,
  compressContrast,
  drawQr,
  square,
  toRgba,
} from './qr/camera-image.mjs';
import { sampleImportRequest, seededRandom } from './qr/sample-bundles.mjs';

export const name = 'qr-robustness';

const between = (random, a, b) => a + random() * (b - a);
const DEG = Math.PI / 180;

/** Each kind: how to place the code and what to do to the frame. Mild jitter on every image. */
const KINDS = {
  scale: (r) => ({
    side: [220, 280, 340, 420, 520, 640][Math.floor(r() * 6)],
    angle: between(r, -3, 3) * DEG,
  }),
  rotation: (r) => ({ side: between(r, 380, 480), angle: between(r, -20, 20) * DEG }),
  perspective: (r) => ({
    side: between(r, 380, 480),
    angle: between(r, -4, 4) * DEG,
    skew: between(r, 0.06, 0.14),
  }),
  blur: (r) => ({
    side: between(r, 420, 520),
    angle: between(r, -3, 3) * DEG,
    blur: 1 + Math.floor(r() * 3),
  }),
  jpeg: (r) => ({
    side: between(r, 360, 460),
    angle: between(r, -3, 3) * DEG,
    jpeg: Math.round(between(r, 15, 45)),
  }),
  noise: (r) => ({
    side: between(r, 380, 480),
    angle: between(r, -3, 3) * DEG,
    noise: between(r, 12, 30),
  }),
  'low-contrast': (r) => ({
    side: between(r, 380, 480),
    angle: between(r, -3, 3) * DEG,
    contrast: between(r, 30, 55),
  }),
  cluttered: (r) => ({ side: between(r, 300, 440), angle: between(r, -8, 8) * DEG, clutter: true }),
};

function renderImage(matrix, spec, random) {
  const img = background(random, spec.clutter === true);
  const cx = between(random, spec.side / 2 + 20, WIDTH - spec.side / 2 - 20);
  const cy = between(
    random,
    Math.min(HEIGHT / 2, spec.side / 2 + 10),
    Math.max(HEIGHT / 2, HEIGHT - spec.side / 2 - 10),
  );
  let quad = square(cx, cy, Math.min(spec.side, HEIGHT * 0.98), spec.angle);
  if (spec.skew !== undefined) {
    // Tilted screen: one side nearer the camera, plus corner jitter.
    const s = spec.side * spec.skew;
    const tilt = random() < 0.5 ? -1 : 1;
    quad = quad.map(([x, y], i) => [
      x + between(random, -s, s) * 0.5,
      y + (i === 0 || i === 3 ? tilt : -tilt) * s * (i < 2 ? 1 : -1) * 0.5,
    ]);
  }
  drawQr(img, matrix, quad);
  let out = img;
  out = boxBlur(out, spec.blur ?? 0);
  if (spec.contrast !== undefined) {
    const mid = between(random, 100, 160);
    compressContrast(out, mid - spec.contrast / 2, mid + spec.contrast / 2);
  }
  addNoise(out, random, spec.noise ?? 2);
  const rgba = toRgba(out);
  if (spec.jpeg !== undefined)
    return {
      ext: 'jpg',
      bytes: jpeg.encode({ data: rgba, width: WIDTH, height: HEIGHT }, spec.jpeg).data,
    };
  const png = new PNG({ width: WIDTH, height: HEIGHT });
  rgba.copy(png.data);
  return { ext: 'png', bytes: PNG.sync.write(png) };
}

function findZbar() {
  const probe = spawnSync('zbarimg', ['--version'], { encoding: 'utf8' });
  return probe.error === undefined && probe.status === 0 ? probe.stdout.trim() : undefined;
}

function pct(n, of) {
  return of === 0 ? '-' : `${Math.round((100 * n) / of)}%`;
}

export async function run({ log, quick = false, perKind = quick ? 4 : 12 }) {
  // Real frames: an RSA_4096 one-key import request at the default density.
  const request = sampleImportRequest(1, { tokenBytes: 1400 });
  const frames = bundleToQrFrames(request, 'normal');
  const matrices = frames.map((t) => renderQrMatrix(t));
  const zbar = findZbar();
  log(
    `payload: 1-key RSA_4096 import request, ${frames.length} frames at density normal (QR version ${matrices[0].version}, ${matrices[0].size} modules)`,
  );
  log(
    `images: ${perKind} per kind, ${WIDTH}×${HEIGHT}; zbar: ${zbar === undefined ? 'zbarimg NOT FOUND (apt-get install zbar-tools): zbar column skipped' : `zbarimg ${zbar}`}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'byok-qr-bench-'));
  const rows = [];
  const passes = new Map();
  // Each decoder alone on every image: ZXing only, jsQR only (its passes, same budget), both.
  const alone = { zxing: 0, jsqr: 0, zxingOnly: 0, jsqrOnly: 0, neither: 0 };
  const aloneByKind = {};
  try {
    for (const [kind, make] of Object.entries(KINDS)) {
      const random = seededRandom(kind.split('').reduce((h, c) => h * 31 + c.charCodeAt(0), 7));
      let ours = 0,
        theirs = 0,
        oursMs = 0,
        zbarMs = 0;
      for (let i = 0; i < perKind; i++) {
        const frame = i % frames.length;
        const image = renderImage(matrices[frame], make(random), random);
        const file = join(dir, `${kind}-${String(i).padStart(2, '0')}.${image.ext}`);
        writeFileSync(file, image.bytes);
        const bytes = readFileSync(file);
        let t = performance.now();
        let found;
        try {
          found = await readQrImage(bytes, file);
        } catch {
          found = undefined;
        }
        oursMs += performance.now() - t;
        if (found?.text === frames[frame]) {
          ours++;
          passes.set(found.pass, (passes.get(found.pass) ?? 0) + 1);
        }
        const rgba = qrImageCodecs[image.ext === 'jpg' ? 'jpeg' : 'png'](bytes);
        const byZxing = (await decodeQrWithZxing(rgba).catch(() => undefined)) === frames[frame];
        const byJsqr = decodeQrFromRgba(rgba, { budgetMs: JSQR_BUDGET_MS })?.text === frames[frame];
        if (byZxing) alone.zxing++;
        if (byJsqr) alone.jsqr++;
        if (byZxing && !byJsqr) alone.zxingOnly++;
        if (byJsqr && !byZxing) alone.jsqrOnly++;
        if (!byZxing && !byJsqr) alone.neither++;
        aloneByKind[kind] ??= { zxing: 0, jsqr: 0 };
        if (byZxing) aloneByKind[kind].zxing++;
        if (byJsqr) aloneByKind[kind].jsqr++;
        if (zbar !== undefined) {
          t = performance.now();
          const z = spawnSync('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', file], {
            encoding: 'utf8',
          });
          zbarMs += performance.now() - t;
          if (z.status === 0 && z.stdout.split('\n').includes(frames[frame])) theirs++;
        }
      }
      rows.push({ kind, ours, theirs, oursMs: oursMs / perKind, zbarMs: zbarMs / perKind });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pad = (s, n) => String(s).padEnd(n);
  const lpad = (s, n) => String(s).padStart(n);
  log('');
  log(
    `${pad('kind', 14)}${lpad('ours', 7)}${lpad('zbar', 7)}${lpad('ours/zbar', 11)}${lpad('ours ms', 9)}${lpad('zbar ms', 9)}`,
  );
  let total = 0,
    totalZ = 0,
    below = [];
  for (const r of rows) {
    total += r.ours;
    totalZ += r.theirs;
    if (zbar !== undefined && r.ours < r.theirs) below.push(r.kind);
    const ratio = zbar === undefined || r.theirs === 0 ? '-' : (r.ours / r.theirs).toFixed(2);
    log(
      `${pad(r.kind, 14)}${lpad(pct(r.ours, perKind), 7)}${lpad(zbar === undefined ? '-' : pct(r.theirs, perKind), 7)}${lpad(ratio, 11)}${lpad(r.oursMs.toFixed(0), 9)}${lpad(zbar === undefined ? '-' : r.zbarMs.toFixed(0), 9)}`,
    );
  }
  const n = perKind * rows.length;
  const msAll = rows.reduce((s, r) => s + r.oursMs, 0) / rows.length;
  const zAll = rows.reduce((s, r) => s + r.zbarMs, 0) / rows.length;
  log(
    `${pad('all', 14)}${lpad(pct(total, n), 7)}${lpad(zbar === undefined ? '-' : pct(totalZ, n), 7)}${lpad('', 11)}${lpad(msAll.toFixed(0), 9)}${lpad(zbar === undefined ? '-' : zAll.toFixed(0), 9)}`,
  );
  log(
    `ms = milliseconds per ${WIDTH}×${HEIGHT} image (ours: image decode + QR search in-process; zbar: a zbarimg process per image)`,
  );
  log(`decoded by pass: ${[...passes].map(([p, c]) => `${p} ${c}`).join(', ')}`);
  log(
    `each decoder alone, of ${n} images: ZXing ${alone.zxing}, jsQR ${alone.jsqr}; ZXing but not jsQR ${alone.zxingOnly}, jsQR but not ZXing ${alone.jsqrOnly}, neither ${alone.neither}`,
  );
  log(
    `  by kind (ZXing/jsQR): ${Object.entries(aloneByKind)
      .map(([k, c]) => `${k} ${c.zxing}/${c.jsqr}`)
      .join(', ')}`,
  );
  if (zbar !== undefined)
    log(
      below.length === 0
        ? "target met: at least zbar's rate on every kind"
        : `BELOW zbar on: ${below.join(', ')}`,
    );
}
