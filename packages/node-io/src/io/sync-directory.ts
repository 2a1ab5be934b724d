import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Flushes a folder's entries to disk. A file's own fsync keeps its bytes, not its name: after a
 * crash, a newly created file whose folder was not flushed can be missing although it was synced.
 * File systems that cannot flush a folder (EINVAL) keep their own guarantees and are passed.
 */
export async function syncDirectory(folder: string): Promise<void> {
  const handle = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync().catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
    });
  } finally {
    await handle.close();
  }
}
