import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ByokError } from '@byok-ceremony/shared';
import type { QrHtmlPlayerOptions } from '../qr/render-html-player.js';
import { writeFileExclusive } from './output-file.js';

/**
 * `--qr DIR`: writes frame-001.png … (pure frames, then mixed ones) and index.html into DIR, which must be new or empty.
 * Returns the file names; on failure the files written so far are removed again.
 */
export async function writeQrFrameDirectory(
  dir: string,
  frameTexts: readonly string[],
  player: QrHtmlPlayerOptions,
): Promise<string[]> {
  // Loaded here: only --qr needs the QR and PNG encoders.
  const { buildQrFrameFiles } = await import('../qr/qr-frame-files.js');
  const files = buildQrFrameFiles(frameTexts, player);
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0)
    throw new ByokError('ERR_OUTPUT_EXISTS', `QR folder ${dir} is not empty`, {
      hint: 'outputs are never overwritten: name a new folder for the QR frames',
    });
  const written: string[] = [];
  try {
    for (const file of files) {
      await writeFileExclusive(join(dir, file.name), file.bytes);
      written.push(file.name);
    }
  } catch (err) {
    await Promise.all(written.map((name) => rm(join(dir, name), { force: true })));
    throw err;
  }
  return written;
}
