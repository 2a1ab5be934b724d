import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ByokError } from '@byok-ceremony/shared';
import { syncDirectory } from './sync-directory.js';

/** Refuses early, before any side effect, when an output already exists. */
export async function assertOutputAbsent(path: string): Promise<void> {
  try {
    await access(path, constants.F_OK);
  } catch {
    return;
  }
  throw new ByokError('ERR_OUTPUT_EXISTS', `${path} already exists`, {
    hint: 'Outputs are never overwritten: choose a new file name, or move the old file away first.',
  });
}

/**
 * Writes a whole file or nothing, and never replaces an existing one: the data goes to an
 * exclusive temporary file in the same folder, is flushed, and is then hard-linked to its name
 * (link fails if the name exists, unlike rename). The folder is flushed after, so that a crash
 * cannot lose the new name once the command has reported the file written.
 */
export async function writeFileExclusive(
  path: string,
  data: Uint8Array | string,
  mode = 0o644,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'EEXIST'
      ? new ByokError('ERR_OUTPUT_EXISTS', `${path} already exists`, {
          hint: 'Outputs are never overwritten: choose a new file name, or move the old file away first.',
        })
      : new ByokError('ERR_IO', `cannot write ${path}: ${(error as Error).message}`, {
          hint: 'Check that the folder exists and is writable.',
        });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await syncDirectory(dirname(path));
}
