import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ByokError, type BackupSpec } from '@byok-ceremony/shared';
import { writeFileExclusive, type PortRecorder } from '@byok-ceremony/node-io';
import { makeBackups } from '../ops/make-backups.js';
import { materialSetOf } from '../ops/material-set-of.js';
import type { BackupPlan } from '../ops/wrap-ceremony.js';

export interface BackupDirPlan {
  readonly specs: readonly BackupSpec[];
  /** `--backup-dir`: made (mode 0700) if absent, else it must be empty; a failed wrap empties it again. */
  readonly dir: string;
  /** The age:passphrase passphrase, asked only when the material is ready (after the codes). */
  readonly passphrase: () => Promise<string>;
  /** Refuses, before any prompt, an age:passphrase passphrase that cannot be had (its file, a terminal). */
  readonly assertPassphraseUsable: () => Promise<void>;
  readonly now: () => Date;
}

/**
 * Makes `--backup-dir` (0700) if absent; it must be empty, checked before any secret exists.
 * Returns the first folder it created (undefined when the folder existed), for a failed
 * command to remove again: never a folder that was there before.
 */
export async function prepareBackupDir(dir: string): Promise<string | undefined> {
  try {
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    if ((await readdir(dir)).length > 0)
      throw new ByokError('ERR_OUTPUT_EXISTS', `backup folder ${dir} is not empty`, {
        hint: 'Backups are never overwritten or mixed: name a new folder with --backup-dir.',
      });
    return created;
  } catch (error) {
    if (error instanceof ByokError) throw error;
    throw new ByokError('ERR_IO', `cannot use backup folder ${dir}: ${(error as Error).message}`, {
      hint: 'Check that the backup media is mounted and writable.',
    });
  }
}

/**
 * wrap's backup step: the ready material as one material set, split into Shamir shares (text and
 * printable page each) and/or encrypted into one age file, every file 0600 and exclusively
 * created in `--backup-dir`, each registered so a failed wrap removes it again.
 */
export function backupDirPlan(
  plan: BackupDirPlan,
  session: Pick<PortRecorder, 'wrote'>,
): BackupPlan {
  return {
    kind: 'write',
    async assertUsable() {
      if (plan.specs.some((s) => s.kind === 'age-passphrase')) await plan.assertPassphraseUsable();
      const created = await prepareBackupDir(plan.dir);
      // Registered first, so a failed wrap removes its files and then the folder it made.
      if (created !== undefined) session.wrote(created);
    },
    async write(materials, request) {
      const passphrase = plan.specs.some((s) => s.kind === 'age-passphrase')
        ? await plan.passphrase()
        : undefined;
      const set = materialSetOf(request, materials, plan.now().toISOString());
      const backups = await makeBackups(set, plan.specs, passphrase);
      for (const file of backups.files) {
        const path = join(plan.dir, file.name);
        await writeFileExclusive(path, file.bytes, 0o600);
        session.wrote(path);
      }
      return {
        outputs: Object.fromEntries(backups.record.files.map((f) => [f.name, f.sha256])),
        audit: backups.record,
      };
    },
  };
}
