import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  FrameAssembler,
  QR_DENSITIES,
  QrFrameSequence,
  QR_DENSITY_PROFILES,
  bundleDigest,
  checkCodeOf,
  splitIntoFrames,
  type ImportRequestBundle,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript shared with the benchmark
import { sampleImportRequest, sampleWrappedKeys } from '../../../../bench/qr/sample-bundles.mjs';
import { presentQrFrames, writeBundleQrFrames } from '../../src/cli/show-qr.js';
import type { CliDeps } from '../../src/cli/deps.js';
import { playQrTerminal } from '../../src/io/qr-terminal.js';
import { decodeQrFromRgba } from '../../src/qr/decode-qr-rgba.js';
import { formatFrameProgress } from '../../src/qr/format-progress.js';
import { renderQrMatrix, type QrMatrix } from '../../src/qr/qr-matrix.js';
import { renderQrHtmlPlayer } from '../../src/qr/render-html-player.js';
import { codeLeaksInFolder, codeLeaksInText } from '../helpers/code-leaks.js';

const work = mkdtempSync(join(tmpdir(), 'byok-qr-render-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(work, `d${n++}`);

const request = (keys: number): ImportRequestBundle =>
  (sampleImportRequest as (n: number) => ImportRequestBundle)(keys);
const answer = (req: ImportRequestBundle): WrappedKeyBundle =>
  (sampleWrappedKeys as (r: ImportRequestBundle, o: object) => WrappedKeyBundle)(req, {
    requestDigest: bundleDigest(req),
  });

function depsFor(out: string[]): CliDeps {
  return {
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => out.push(t),
    interactive: false,
  } as unknown as CliDeps;
}

describe('QR symbols', () => {
  it('keeps every frame, pure or mixed, within the QR version of its density', () => {
    for (const density of QR_DENSITIES) {
      // Five full chunks: the mixed frames are as long as frames of the density get.
      const full = QR_DENSITY_PROFILES[density].frameBytes - 34;
      const sequence = new QrFrameSequence('wrapped-keys', randomBytes(5 * full), density);
      expect(sequence.count).toBe(5);
      const frames = sequence.frames(1, 2 * sequence.count);
      const versions = frames.map((f) => renderQrMatrix(f).version);
      expect(new Set(versions).size).toBe(1);
      expect(versions[0]).toBe(QR_DENSITY_PROFILES[density].maxVersion);
      expect(Math.max(...versions)).toBeLessThanOrEqual(QR_DENSITY_PROFILES[density].maxVersion);
    }
  });

  it('words the progress of a transfer for the operator', () => {
    const frames = splitIntoFrames('import-request', randomBytes(2000), 'low');
    const assembler = new FrameAssembler();
    expect(formatFrameProgress(assembler.progress())).toBe('frames 0/?, no frame read yet');
    frames.forEach((f, i) => {
      if (i !== 1 && i !== 3) assembler.add(f);
    });
    expect(formatFrameProgress(assembler.progress())).toBe(
      `frames ${frames.length - 2}/${frames.length}, missing 2, 4`,
    );
    assembler.add(frames[1]!);
    assembler.add(frames[3]!);
    expect(formatFrameProgress(assembler.progress())).toBe(
      `frames ${frames.length}/${frames.length}, complete`,
    );
  });
});

describe('the QR player carries frames and a counter, never a check code', () => {
  it('the page has the frames, a counter, a fixed title and no network load', () => {
    const frames = splitIntoFrames('import-request', randomBytes(1500), 'normal');
    const html = renderQrHtmlPlayer(frames, { kind: 'import-request' });
    expect(html).toContain('<title>byok import request: QR frames</title>');
    expect(html.match(/data:image\/png;base64,/g)).toHaveLength(frames.length);
    expect(html).toContain('"frame " + (at + 1) + " / " + pure');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  for (const kind of ['import-request', 'wrapped-keys'] as const) {
    it(`no file under --qr DIR names a ${kind} bundle's check code or digest`, async () => {
      const req = request(3);
      const bundle = kind === 'import-request' ? req : answer(req);
      const digest = bundleDigest(bundle);
      const dir = fresh();
      const flags = { dir, terminal: false, density: 'low' as const };
      const written = await writeBundleQrFrames(bundle, flags);
      expect(readdirSync(dir).sort()).toEqual(
        [
          ...written.frameTexts.map((_, i) => `frame-${String(i + 1).padStart(3, '0')}.png`),
          'index.html',
        ].sort(),
      );
      expect(codeLeaksInFolder(dir, checkCodeOf(digest), digest)).toEqual([]);
    });
  }

  it('the leak check finds a code in another spelling, and the digest', () => {
    const digest = bundleDigest(request(1));
    const code = checkCodeOf(digest);
    const spelled = code.toLowerCase().replaceAll('-', ' ');
    const folder = mkdtempSync(join(work, 'leak-'));
    writeFileSync(join(folder, 'index.html'), `<p>check ${spelled}</p>`);
    writeFileSync(join(folder, 'note.txt'), digest.toUpperCase());
    expect(codeLeaksInFolder(folder, code, digest).sort()).toEqual([
      `${join(folder, 'index.html')}: check code`,
      `${join(folder, 'note.txt')}: digest`,
    ]);
    expect(codeLeaksInText(code.replaceAll('-', ''), code, digest)).toEqual(['check code']);
  });

  it('terminal playback shows each frame with its counter and nothing else, mixed frames after the pure ones', async () => {
    const sequence = new QrFrameSequence('import-request', randomBytes(1500), 'low');
    const screens: string[] = [];
    const shown = sequence.count + 3;
    await playQrTerminal(sequence, { write: (t) => screens.push(t), frames: shown, intervalMs: 0 });
    expect(screens).toHaveLength(shown);
    const assembler = new FrameAssembler();
    screens.forEach((screen, i) => {
      const text = ['\u001b[H', '\u001b[2J', '\u001b[97;40m', '\u001b[0m'].reduce(
        (t, escape) => t.replaceAll(escape, ''),
        screen,
      );
      expect(text.replace(/[▀▄█ \n]/g, '')).toBe(
        i < sequence.count
          ? `frame${i + 1}/${sequence.count}`
          : `frame${i + 1}(mixed,of${sequence.count})`,
      );
      // What is drawn is the frame of that number.
      expect(assembler.add(sequence.frameAt(i + 1)).status).not.toBe('corrupt');
    });
  });

  it('the folder holds the pure frames then as many mixed ones, and the page counts them apart', async () => {
    const flags = { dir: fresh(), terminal: false, density: 'low' as const };
    const written = await writeBundleQrFrames(request(1), flags);
    const { count } = written.sequence;
    expect(count).toBeGreaterThan(1);
    expect(written.frameTexts).toHaveLength(2 * count);
    expect(written.frameTexts.slice(count)).toEqual(written.sequence.frames(count + 1, count));
    const html = renderQrHtmlPlayer(written.frameTexts, {
      kind: 'import-request',
      pureFrames: count,
    });
    expect(html).toContain(`pure = ${count};`);
    expect(html).toContain('(mixed, of ');
    expect(readdirSync(flags.dir)).toHaveLength(2 * count + 1);
  });

  it('the command reminds of its code after the playback, not during it', async () => {
    const req = request(1);
    const digest = bundleDigest(req);
    const code = checkCodeOf(digest);
    const flags = { dir: undefined, terminal: true, density: 'high' as const };
    const written = await writeBundleQrFrames(req, flags);
    const out: string[] = [];
    await presentQrFrames(written, flags, `check code ${code}`, depsFor(out), 'byok-online');
    const last = out.pop()!;
    expect(last).toBe(`byok-online: check code ${code}\n`);
    expect(out.some((t) => /[▀▄█]{20}/.test(t))).toBe(true);
    expect(codeLeaksInText(out.join(''), code, digest)).toEqual([]);
  });
});

/** An RGBA image of a symbol, 6 pixels a module, light modules dark: only an inverting pass reads it. */
function invertedImage(matrix: QrMatrix): { width: number; height: number; data: Uint8Array } {
  const scale = 6;
  const side = (matrix.size + 8) * scale;
  const data = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - 4;
      const my = Math.floor(y / scale) - 4;
      const dark =
        mx >= 0 &&
        my >= 0 &&
        mx < matrix.size &&
        my < matrix.size &&
        matrix.modules[my * matrix.size + mx] === 1;
      const v = dark ? 255 : 0;
      data.set([v, v, v, 255], (y * side + x) * 4);
    }
  return { width: side, height: side, data };
}

describe("jsQR's passes and their budget", () => {
  const [frame] = splitIntoFrames('import-request', new Uint8Array(200).fill(7), 'low');
  const image = invertedImage(renderQrMatrix(frame!));

  it('the inverting pass reads a light-on-dark code when time allows', () => {
    expect(decodeQrFromRgba(image, { budgetMs: 2500, clock: () => 0 })).toEqual({
      text: frame,
      pass: 'inverted',
    });
  });

  it('no pass starts once the budget clock says the time is up', () => {
    let now = 0;
    const clock = (): number => (now += 1000);
    expect(decodeQrFromRgba(image, { budgetMs: 2500, clock })).toBeUndefined();
    // The clock was read at the start and before each pass that ran, then once to stop.
    expect(now).toBeLessThanOrEqual(5000);
  });
});
