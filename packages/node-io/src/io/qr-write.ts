import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ByokError } from '@byok-ceremony/shared';
import type { QrHtmlPlayerOptions } from '../qr/render-html-player.js';
import { writeFileExclusive } from './output-file.js';

/**
 * `--qr DIR`: writes frame-001.png … (pure frames, then mixed ones) and index.html into DIR,
 * which must be new or empty. Returns the file names and the first folder it made (undefined
 * when DIR existed); on failure the files written so far, and the folders it made, are removed.
 */
export async function writeQrFrameDirectory(
  dir: string,
  frameTexts: readonly string[],
  player: QrHtmlPlayerOptions,
): Promise<{ readonly names: string[]; readonly created: string | undefined }> {
  // Loaded here: only --qr needs the QR and PNG encoders.
  const { buildQrFrameFiles } = await import('../qr/qr-frame-files.js');
  const files = buildQrFrameFiles(frameTexts, player);
  const created = await mkdir(dir, { recursive: true });
  const written: string[] = [];
  try {
    if ((await readdir(dir)).length > 0)
      throw new ByokError('ERR_OUTPUT_EXISTS', `QR folder ${dir} is not empty`, {
        hint: 'outputs are never overwritten: name a new folder for the QR frames',
      });
    for (const file of files) {
      await writeFileExclusive(join(dir, file.name), file.bytes);
      written.push(file.name);
    }
  } catch (err) {
    await Promise.all(written.map((name) => rm(join(dir, name), { force: true })));
    if (created !== undefined) await rm(created, { recursive: true, force: true });
    throw err;
  }
  return { names: written, created };
}
