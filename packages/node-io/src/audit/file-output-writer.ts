import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ByokError } from '@byok-ceremony/shared';
import { assertOutputAbsent, writeFileExclusive } from '../io/output-file.js';
import type { PortRecorder } from './audit-session.js';

/** Where an operation writes its outputs: files here, a map in unit tests. */
export interface OutputWriter {
  /** Refuses, before any side effect, an output that exists or whose folder is missing. */
  assertWritable(path: string): Promise<void>;
  /** Writes a whole new file (never replacing one); the runner removes it if the entry fails. */
  write(path: string, data: Uint8Array | string, mode?: number): Promise<void>;
}

/** Output files on disk, each registered with the command's session for clean-up. */
export function fileOutputWriter(facts: Pick<PortRecorder, 'wrote'>): OutputWriter {
  return {
    async assertWritable(path) {
      await assertOutputAbsent(path);
      const folder = dirname(path);
      const isFolder = await stat(folder).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!isFolder)
        throw new ByokError('ERR_IO', `the folder of ${path} does not exist`, {
          hint: 'Create the folder first, or name an output in an existing folder.',
        });
    },
    async write(path, data, mode = 0o644) {
      await writeFileExclusive(path, data, mode);
      facts.wrote(path);
    },
  };
}
