import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ByokError } from '@byok-ceremony/shared';
import { writeFileExclusive } from '@byok-ceremony/node-io';

/** One file of a backup: a share, its page or the age file. */
export interface BackupFile {
  readonly name: string;
  readonly bytes: Uint8Array | string;
}

/** Makes `--backup-dir` (mode 0700) if it is absent; it must be empty, checked before any secret exists. */
export async function prepareBackupDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if ((await readdir(dir)).length > 0)
      throw new ByokError('ERR_OUTPUT_EXISTS', `backup folder ${dir} is not empty`, {
        hint: 'Backups are never overwritten or mixed: name a new folder with --backup-dir.',
      });
  } catch (error) {
    if (error instanceof ByokError) throw error;
    throw new ByokError('ERR_IO', `cannot use backup folder ${dir}: ${(error as Error).message}`, {
      hint: 'Check that the backup media is mounted and writable.',
    });
  }
}

/**
 * Writes every backup file into DIR, each mode 0600 and exclusively created (never over an
 * existing file); on any failure the files written so far are removed, so no partial backup
 * remains. Returns the paths written.
 */
export async function writeBackupFiles(
  dir: string,
  files: readonly BackupFile[],
): Promise<string[]> {
  const written: string[] = [];
  try {
    for (const file of files) {
      const path = join(dir, file.name);
      await writeFileExclusive(path, file.bytes, 0o600);
      written.push(path);
    }
  } catch (error) {
    await removeBackupFiles(written);
    throw error;
  }
  return written;
}

/** Removes backup files again (a later step failed). */
export async function removeBackupFiles(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(p, { force: true })));
}
