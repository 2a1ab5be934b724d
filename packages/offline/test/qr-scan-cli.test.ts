import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bundleDigest,
  bundleToQrFrames,
  checkCodeOf,
  decodeBase45,
  encodeBase45,
  splitIntoFrames,
  type AuditEntry,
  type ImportRequestBundle,
} from '@byok-ceremony/shared';
import { encodeQrPng, renderQrMatrix } from '@byok-ceremony/node-io/qr-encode';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { wrapArgv } from '../../../test/ceremony/driver.mjs';
import { codeLeaksInFolder, codeLeaksInText } from '../../node-io/test/helpers/code-leaks.js';
import { importRequest } from './helpers/request-fixture.js';
import { runCli, tempDir } from './helpers/run-cli.js';
import { runProcess } from './helpers/run-process.js';

// byok-offline scan and wrap --qr through the real entry point, with bad input of every kind.

const png = (text: string): Uint8Array => encodeQrPng(renderQrMatrix(text), { scale: 4 });

function request(): ImportRequestBundle {
  return importRequest([{ keySpec: 'HMAC_256' }]);
}

/** The request's frames at density low (several frames for one key), as frame-001.png … */
function writeFrames(dir: string, req: ImportRequestBundle, skip: number[] = []): string[] {
  mkdirSync(dir, { recursive: true });
  const frames = bundleToQrFrames(req, 'low');
  frames.forEach((text, i) => {
    if (!skip.includes(i))
      writeFileSync(join(dir, `frame-${String(i + 1).padStart(3, '0')}.png`), png(text));
  });
  return frames;
}

/** The same frame with one bit of its chunk flipped, Base45 and QR code otherwise well formed. */
function flipBit(text: string): string {
  const bytes = decodeBase45(text)!;
  bytes[40]! ^= 0x04;
  return encodeBase45(bytes);
}

function lastEntry(dir: string): AuditEntry {
  const lines = readFileSync(join(dir, 'byok-offline-audit.jsonl'), 'utf8').trim().split('\n');
  return JSON.parse(lines.at(-1)!) as AuditEntry;
}

async function scan(dir: string, ...images: string[]) {
  return runCli(['scan', '--out', 'request.json', ...images], dir);
}

function expectRefused(dir: string, result: { code: number }): void {
  expect(result.code).toBe(1);
  expect(existsSync(join(dir, 'request.json'))).toBe(false);
  expect(lastEntry(dir)).toMatchObject({
    command: 'scan',
    outcome: 'error',
    error: { code: 'ERR_QR' },
    outputs: {},
  });
}

describe('byok-offline scan', () => {
  it('writes the request from a folder of frames, withholds its check code, and logs the transfer', async () => {
    const dir = tempDir();
    const req = request();
    const frames = writeFrames(join(dir, 'frames'), req);
    const r = await runCli(['scan', '--out', 'request.json', 'frames', '--operator', 'CAROL'], dir);
    expect(r.code, r.stderr).toBe(0);
    const code = checkCodeOf(bundleDigest(req));
    expect(r.stdout).toContain(`Wrote request.json from ${frames.length} QR frame(s)`);
    // The operators type the code the online screen shows, so this machine never shows it.
    expect(r.stdout + r.stderr).not.toContain(code);
    expect(r.stdout).toContain(
      'Not yet trusted. Check code: the operators confirm it in byok-offline wrap, each typing the code the online machine (byok-online prepare) shows.',
    );
    expect(r.stderr).toContain(
      `byok-offline: frames/frame-001.png: frames 1/${frames.length}, missing 2`,
    );
    // The progress ends complete; the log's head code is the last line, for the witness.
    expect(r.stderr).toMatch(/complete\nbyok-offline: log head code \S+ [^\n]*\n$/);
    const written: unknown = JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8'));
    expect(written).toEqual(req);
    const entry = lastEntry(dir);
    expect(entry).toMatchObject({
      command: 'scan',
      operators: ['CAROL'],
      outcome: 'ok',
      peerLogHead: req.auditLogHead,
      // Neither the bundle's code nor its digest: nobody has typed the code on this machine yet.
      checkCodes: {},
    });
    expect(Object.keys(entry.outputs)).toEqual(['requestFile']);
    expect(JSON.stringify(entry)).not.toContain(bundleDigest(req));
    expect(JSON.stringify(entry)).not.toContain(code);
    expect(entry.inputs['qrTransfer']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('--json prints one object: out and frames, no digest and no check code', async () => {
    const dir = tempDir();
    const req = request();
    const frames = writeFrames(join(dir, 'frames'), req);
    const r = await runCli(['scan', '--out', 'request.json', 'frames', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(checkCodeOf(bundleDigest(req)));
    expect(r.stdout).not.toContain(bundleDigest(req));
    expect(JSON.parse(r.stdout)).toEqual({
      out: join(dir, 'request.json'),
      frames: { received: frames.length, total: frames.length },
    });
  });

  it('reads JPEG webcam stills named one by one', async () => {
    const dir = tempDir();
    const req = request();
    const frames = bundleToQrFrames(req, 'low');
    const names = frames.map((text, i) => {
      const image = PNG.sync.read(Buffer.from(png(text)));
      const name = `still-${i}.jpg`;
      writeFileSync(join(dir, name), jpeg.encode({ ...image }, 60).data);
      return name;
    });
    const r = await scan(dir, ...names.reverse());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8'))).toEqual(req);
  });

  it('an incomplete set: names the missing frames, writes nothing', async () => {
    const dir = tempDir();
    const frames = writeFrames(join(dir, 'frames'), request(), [1]);
    const r = await scan(dir, 'frames');
    expectRefused(dir, r);
    expect(r.stderr).toContain(
      `byok-offline: error: QR transfer incomplete: frames ${frames.length - 1}/${frames.length}, missing 2\n`,
    );
    expect(r.stderr).toMatch(/hint: scan the missing frames too \(step the player to them\)/);
  });

  it('frames of two transfers mixed: the foreign frame is rejected, never merged, and no bundle is written', async () => {
    const dir = tempDir();
    writeFrames(join(dir, 'a'), request(), [1]);
    writeFrames(join(dir, 'b'), request());
    const r = await scan(dir, 'a/frame-001.png', 'b/frame-002.png', 'a/frame-003.png');
    expectRefused(dir, r);
    expect(r.stderr).toMatch(
      /warning: b\/frame-002\.png: frame 2\/\d+ belongs to another transfer \([0-9a-f]{8}…\) than the one being read \([0-9a-f]{8}…\): rejected, not merged/,
    );
    expect(r.stderr).toMatch(/error: QR transfer incomplete: .*missing 2\b.*another transfer/);
  });

  it('a frame with a flipped bit is ignored as corrupt; the good frame completes the right bundle', async () => {
    const dir = tempDir();
    const req = request();
    const frames = writeFrames(join(dir, 'frames'), req, [1]);
    writeFileSync(join(dir, 'frames', 'frame-002-flipped.png'), png(flipBit(frames[1]!)));
    const bad = await scan(dir, 'frames');
    expectRefused(dir, bad);
    expect(bad.stderr).toMatch(
      /warning: frames\/frame-002-flipped\.png: QR frame checksum mismatch: the frame was misread or altered \(frames 1\/\d+, missing 2/,
    );
    expect(bad.stderr).toMatch(/error: QR transfer incomplete: .*missing 2\b/);

    writeFileSync(join(dir, 'frames', 'frame-002.png'), png(frames[1]!));
    const good = await scan(dir, 'frames');
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8'))).toEqual(req);
  });

  it('an image with no QR code, a truncated PNG and a 40-megapixel image are each reported by name, and the scan goes on', async () => {
    const dir = tempDir();
    const req = request();
    const frames = writeFrames(join(dir, 'frames'), req);
    const blank = new PNG({ width: 320, height: 240 });
    blank.data.fill(200);
    writeFileSync(join(dir, 'frames', 'a-blank.png'), PNG.sync.write(blank));
    const cut = png(frames[0]!);
    writeFileSync(join(dir, 'frames', 'b-cut.png'), cut.subarray(0, cut.length / 2));
    // A PNG header claiming 8000 × 5000 pixels: refused from the header, never decoded.
    const huge = Buffer.from(png('A'));
    huge.writeUInt32BE(8000, 16);
    huge.writeUInt32BE(5000, 20);
    writeFileSync(join(dir, 'frames', 'c-huge.png'), huge);

    const r = await scan(dir, 'frames');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: frames\/a-blank\.png: no QR code found \(frames 0\/\?/);
    expect(r.stderr).toMatch(/warning: frames\/b-cut\.png: truncated or corrupt PNG image/);
    expect(r.stderr).toMatch(
      /warning: frames\/c-huge\.png: image of 8000×5000 \(40\.0 megapixels\) exceeds the 24-megapixel limit/,
    );
    expect(JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8'))).toEqual(req);
  });

  it('bad images alone: a clear error naming each, no file', async () => {
    const dir = tempDir();
    const blank = new PNG({ width: 64, height: 64 });
    blank.data.fill(255);
    writeFileSync(join(dir, 'blank.png'), PNG.sync.write(blank));
    const cut = png(bundleToQrFrames(request(), 'low')[0]!);
    writeFileSync(join(dir, 'cut.png'), cut.subarray(0, 40));
    writeFileSync(join(dir, 'notes.png'), 'not an image');
    const r = await scan(dir, 'blank.png', 'cut.png', 'notes.png');
    expectRefused(dir, r);
    expect(r.stderr).toMatch(
      /error: no byok-ceremony QR frame was read; 3 image\(s\) gave no frame: .*blank\.png: no QR code found; .*cut\.png: truncated or corrupt PNG.*notes\.png/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('frames of a wrapped-key bundle are not an import request', async () => {
    const dir = tempDir();
    const wrapped = splitIntoFrames('wrapped-keys', new Uint8Array(300).fill(7), 'low');
    writeFileSync(join(dir, 'w.png'), png(wrapped[0]!));
    const r = await scan(dir, 'w.png');
    expectRefused(dir, r);
    expect(r.stderr).toMatch(
      /error: no byok-ceremony QR frame was read; 1 image\(s\) gave no frame: .*w\.png: frame 1\/2 carries a wrapped-keys bundle, not the import-request bundle expected here/,
    );
  });

  it('refuses a request file that exists before reading any image', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'request.json'), 'keep me');
    writeFrames(join(dir, 'frames'), request());
    const r = await scan(dir, 'frames');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: .*request\.json already exists/);
    expect(r.stderr).not.toMatch(/frame-001/);
    expect(readFileSync(join(dir, 'request.json'), 'utf8')).toBe('keep me');
  });

  it('usage errors: no images, images and --camera, no --out', async () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['scan', '--out', 'r.json'], /scan needs images or --camera/],
      [
        ['scan', '--out', 'r.json', 'x.png', '--camera', '/dev/video0'],
        /--camera cannot be used with image files/,
      ],
      [['scan', 'frames'], /scan needs --out/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv, dir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/byok-offline: hint: /);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('scan --camera reads the stills ffmpeg pipes until complete (a stand-in ffmpeg on PATH, child process)', () => {
    const dir = tempDir();
    const req = request();
    writeFrames(join(dir, 'frames'), req);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // Loops the frames as PNG on stdout, as `ffmpeg -f image2pipe -vcodec png pipe:1` does.
    writeFileSync(
      join(bin, 'ffmpeg'),
      `#!/bin/sh\nwhile true; do /bin/cat ${join(dir, 'frames')}/*.png; /bin/sleep 0.2; done\n`,
      { mode: 0o755 },
    );
    const r = runProcess(
      ['scan', '--camera', '/dev/video7', '--out', 'request.json', '--json'],
      dir,
      [],
      {
        PATH: bin,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/byok-offline: \/dev\/video7 still 1: frames 1\/\d+, missing 2/);
    expect(r.stdout).not.toContain(bundleDigest(req));
    expect(r.stdout + r.stderr).not.toContain(checkCodeOf(bundleDigest(req)));
    expect(JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8'))).toEqual(req);
  });

  it('loads no network module while scanning (child process, module list at exit)', () => {
    const dir = tempDir();
    writeFrames(join(dir, 'frames'), request());
    const hook = join(dir, 'module-list-hook.mjs');
    writeFileSync(
      hook,
      `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(join(dir, 'modules.json'))}, JSON.stringify(process.moduleLoadList)));\n`,
    );
    const r = runProcess(['scan', '--out', 'request.json', 'frames'], dir, ['--import', hook]);
    expect(r.code, r.stderr).toBe(0);
    const loaded = JSON.parse(readFileSync(join(dir, 'modules.json'), 'utf8')) as string[];
    expect(loaded).toContain('NativeModule zlib');
    expect(
      loaded.filter((m) =>
        /^NativeModule (net|http|https|http2|tls|dns|dgram|_http_client)$/.test(m),
      ),
    ).toEqual([]);
  });

  it('scan --camera without ffmpeg on PATH: a clear error, no file (child process)', () => {
    const dir = tempDir();
    const r = runProcess(['scan', '--camera', '/dev/video0', '--out', 'request.json'], dir, [], {
      PATH: join(dir, 'empty-path'),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /byok-offline: error: --camera needs ffmpeg, and ffmpeg was not found/,
    );
    expect(r.stderr).toMatch(/hint: install ffmpeg \(Debian: apt-get install ffmpeg\)/);
    expect(existsSync(join(dir, 'request.json'))).toBe(false);
  });
});

describe('byok-offline wrap --qr', () => {
  function wrapArgs(req: ImportRequestBundle, extra: string[]): string[] {
    const code = checkCodeOf(bundleDigest(req));
    return [...wrapArgv('request.json', code, 'wrapped.json'), ...extra];
  }

  it('writes the frames and a player that carry no check code, and draws them on stderr', async () => {
    const dir = tempDir();
    const req = request();
    writeFileSync(join(dir, 'request.json'), JSON.stringify(req));
    const r = await runCli(wrapArgs(req, ['--qr', 'answer', '--qr-terminal', '--json']), dir);
    expect(r.code, r.stderr).toBe(0);
    const { checkCode } = JSON.parse(r.stdout) as { checkCode: string };
    const digest = bundleDigest(JSON.parse(readFileSync(join(dir, 'wrapped.json'), 'utf8')));
    expect(checkCodeOf(digest)).toBe(checkCode);
    expect(readdirSync(join(dir, 'answer'))).toEqual(['frame-001.png', 'index.html']);
    expect(codeLeaksInFolder(join(dir, 'answer'), checkCode, digest)).toEqual([]);
    expect(r.stderr).toMatch(/1 QR frame\(s\) at density high in .*answer/);
    // The playback shows the frame and its counter; the command names the code after it.
    const [playback, after] = r.stderr.split(/frame 1\/1\n/);
    expect(playback).toMatch(/[▀▄█]{20}/);
    expect(codeLeaksInText(playback!, checkCode, digest)).toEqual([]);
    expect(after).toContain(`Wrapped-key bundle, check code ${checkCode}`);
    expect(lastEntry(dir).outputs['qrTransfer']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('--qr-density low gives more frames', async () => {
    const dir = tempDir();
    const req = request();
    writeFileSync(join(dir, 'request.json'), JSON.stringify(req));
    const r = await runCli(wrapArgs(req, ['--qr', 'answer', '--qr-density', 'low']), dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'answer')).length).toBeGreaterThan(2);
  });

  it('a --qr folder that is not empty is refused before anything is wrapped', async () => {
    const dir = tempDir();
    const req = request();
    writeFileSync(join(dir, 'request.json'), JSON.stringify(req));
    mkdirSync(join(dir, 'answer'));
    writeFileSync(join(dir, 'answer', 'old.png'), 'x');
    const r = await runCli(wrapArgs(req, ['--qr', 'answer']), dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: QR folder .*answer is not empty/);
    expect(existsSync(join(dir, 'wrapped.json'))).toBe(false);
    expect(lastEntry(dir)).toMatchObject({ command: 'wrap', outcome: 'error', outputs: {} });
  });

  it('refuses --qr in raw mode and --qr-density alone', async () => {
    const dir = tempDir();
    const raw = await runCli(
      [
        'wrap',
        '--public-key',
        'PublicKey.bin',
        '--wrapping-algorithm',
        'RSAES_OAEP_SHA_256',
        '--material-file',
        'm.bin',
        '--out',
        'x.bin',
        '--qr',
        'q',
      ],
      dir,
    );
    expect(raw.code).toBe(2);
    expect(raw.stderr).toMatch(/--public-key cannot be combined with --qr/);
    const density = await runCli(
      ['wrap', '--request', 'request.json', '--out', 'w.json', '--qr-density', 'high'],
      dir,
    );
    expect(density.code).toBe(2);
    expect(density.stderr).toMatch(/--qr-density needs --qr DIR or --qr-terminal/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
