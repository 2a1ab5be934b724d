import { readdir, stat } from 'node:fs/promises';
import { ByokError } from '@byok-ceremony/shared';

/** `--qr DIR` must be new or empty; checked before any work, since outputs are never overwritten. */
export async function assertQrFolderUsable(dir: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new ByokError('ERR_IO', `cannot use --qr ${dir}: ${(error as Error).message}`, {
      hint: 'Name a new folder for the QR frames.',
    });
  }
  if (!isDirectory)
    throw new ByokError('ERR_OUTPUT_EXISTS', `--qr ${dir} is a file, not a folder`, {
      hint: 'Name a new folder for the QR frames.',
    });
  if ((await readdir(dir)).length > 0)
    throw new ByokError('ERR_OUTPUT_EXISTS', `QR folder ${dir} is not empty`, {
      hint: 'Outputs are never overwritten: name a new folder for the QR frames.',
    });
}
