import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeQrPng, renderQrMatrix } from '@byok-ceremony/node-io/qr-encode';
import { ByokError, splitIntoFrames } from '@byok-ceremony/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { captureCameraStills, scanQrCamera } from '../src/io/qr-camera.js';
import { expectStandInStopped } from './helpers/stand-in-stopped.js';

const work = mkdtempSync(join(tmpdir(), 'byok-qr-camera-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(work, `d${n++}`);

async function errorOf(p: Promise<unknown>): Promise<ByokError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ByokError);
    return e as ByokError;
  }
  throw new Error('expected a ByokError');
}

describe('scan --camera', () => {
  it('says clearly when ffmpeg is absent', async () => {
    const err = await errorOf(scanQrCamera('/dev/video0', { ffmpeg: join(work, 'no-ffmpeg') }));
    expect(err.message).toMatch(/--camera needs ffmpeg/);
    expect(err.hint).toMatch(/apt-get install ffmpeg/);
  });

  it('reads PNG stills piped by ffmpeg until the transfer is complete', async () => {
    // A stand-in ffmpeg that pipes PNG frames, as `-f image2pipe -vcodec png` does.
    const frames = splitIntoFrames('import-request', new Uint8Array(900).fill(5), 'low');
    const dir = fresh();
    mkdirSync(dir);
    frames.forEach((f, i) =>
      writeFileSync(join(dir, `${i}.png`), encodeQrPng(renderQrMatrix(f), { scale: 3 })),
    );
    const fake = join(work, 'fake-ffmpeg');
    writeFileSync(fake, `#!/bin/sh\nwhile true; do cat ${dir}/*.png; sleep 0.2; done\n`, {
      mode: 0o755,
    });
    const t = await scanQrCamera('/dev/video9', { ffmpeg: fake, timeoutMs: 20_000 });
    expect(t.frames).toBe(frames.length);
    const stills: string[] = [];
    for await (const s of captureCameraStills('/dev/video9', { ffmpeg: fake })) {
      stills.push(s.name);
      if (stills.length === 2) break;
    }
    expect(stills).toEqual(['/dev/video9 still 1', '/dev/video9 still 2']);
  });

  it('stops a silent ffmpeg (device opened, nothing sent) at the timeout', async () => {
    const pidFile = join(work, 'silent.pid');
    const silent = join(work, 'silent-ffmpeg');
    writeFileSync(silent, `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 600\n`, { mode: 0o755 });
    const err = await errorOf(scanQrCamera('/dev/video7', { ffmpeg: silent, timeoutMs: 1500 }));
    expect(err.code).toBe('ERR_TIMEOUT');
    expect(err.message).toBe('the camera /dev/video7 sent no image in 2 s; ffmpeg was stopped');
    expect(err.hint).toMatch(/ls \/dev\/video\*/);
    await expectStandInStopped(pidFile, silent);
  });

  it('stops ffmpeg that stalls in the middle of a still', async () => {
    const pidFile = join(work, 'stall.pid');
    const stall = join(work, 'stall-ffmpeg');
    writeFileSync(
      stall,
      `#!/bin/sh\necho $$ > ${pidFile}\nprintf '\\211PNG\\r\\n\\032\\n'\nexec sleep 600\n`,
      { mode: 0o755 },
    );
    const err = await errorOf(scanQrCamera('/dev/video8', { ffmpeg: stall, timeoutMs: 1000 }));
    expect(err.code).toBe('ERR_TIMEOUT');
    await expectStandInStopped(pidFile, stall);
  });

  it('refuses a still that never ends instead of buffering it', async () => {
    const endless = join(work, 'endless-ffmpeg');
    writeFileSync(endless, `#!/bin/sh\nprintf '\\211PNG\\r\\n\\032\\n'\nexec cat /dev/zero\n`, {
      mode: 0o755,
    });
    const err = await errorOf(scanQrCamera('/dev/video6', { ffmpeg: endless, timeoutMs: 60_000 }));
    expect(err.code).toBe('ERR_QR');
    expect(err.message).toBe('ffmpeg sent a still larger than 67108864 bytes from /dev/video6');
  });

  it.skipIf(spawnSync('ffmpeg', ['-version']).status !== 0)(
    'reports a missing camera device',
    async () => {
      const err = await errorOf(scanQrCamera('/dev/video-none', { timeoutMs: 10_000 }));
      expect(err.message).toMatch(/ffmpeg could not capture from \/dev\/video-none/);
    },
  );
});
