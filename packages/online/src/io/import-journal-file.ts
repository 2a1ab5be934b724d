import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ByokError, type ImportRequestBundle } from '@byok-ceremony/shared';
import {
  IMPORT_JOURNAL_FORMAT,
  MAX_JOURNAL_BYTES,
  parseImportJournal,
  type JournalLine,
  type OpenedJournalFile,
  type JournalState,
} from '../ops/import-journal.js';

/** The journal of an import lives beside its request: `<request>.journal.jsonl`. */
export function journalPathOf(requestPath: string): string {
  return `${requestPath}.journal.jsonl`;
}

async function syncDirectory(path: string): Promise<void> {
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * Appends whole lines; appends made while a write is in flight go out together and share one
 * fdatasync (group commit), so a thousand keys in flight do not wait for a thousand syncs each.
 */
function appender(file: FileHandle): {
  readonly append: (line: JournalLine) => Promise<void>;
  readonly drain: () => Promise<void>;
} {
  let queue: { text: string; done: () => void; fail: (e: unknown) => void }[] = [];
  let flushing: Promise<void> | undefined;
  let broken: Error | undefined;
  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        if (broken !== undefined) throw broken;
        await file.appendFile(batch.map((b) => b.text).join(''));
        await file.datasync();
        for (const b of batch) b.done();
      } catch (error) {
        broken ??= error instanceof Error ? error : new Error(String(error));
        for (const b of batch) b.fail(error);
      }
    }
    flushing = undefined;
  };
  return {
    append: (line) =>
      new Promise<void>((done, fail) => {
        queue.push({ text: `${JSON.stringify(line)}\n`, done, fail });
        flushing ??= flush();
      }).catch((error: unknown) => {
        throw new ByokError(
          'ERR_JOURNAL',
          `cannot append to the import journal: ${error instanceof Error ? error.message : String(error)}`,
          {
            hint: 'Nothing further was sent to KMS. Free the disk or fix the file, then run import again with --resume.',
            cause: error,
          },
        );
      }),
    drain: async () => {
      await flushing;
    },
  };
}

/** Reads an earlier journal whole (bounded), dropping only a last line cut off mid-write. */
async function readEarlier(path: string, say: (line: string) => void): Promise<Buffer> {
  let file: FileHandle;
  try {
    file = await open(path, 'r+');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ByokError(
      'ERR_JOURNAL',
      code === 'ENOENT'
        ? `--resume: there is no import journal ${path}`
        : `cannot open the import journal ${path}: ${code ?? String(error)}`,
      {
        hint: 'An import writes its journal beside the request; without one, run import without --resume.',
      },
    );
  }
  try {
    const stat = await file.stat();
    if (!stat.isFile() || stat.size > MAX_JOURNAL_BYTES)
      throw new ByokError(
        'ERR_JOURNAL',
        `the import journal ${path} is not a regular file of at most ${MAX_JOURNAL_BYTES} bytes`,
        { hint: 'Give the --request whose journal byok-online import wrote beside it.' },
      );
    const bytes = await file.readFile();
    const end = bytes.lastIndexOf(0x0a) + 1;
    if (end < bytes.length) {
      // A line without its newline never finished its fdatasync, so nothing it announced was sent.
      await file.truncate(end);
      await file.datasync();
      say(
        `note: the import journal ended in a line cut off mid-write (${bytes.length - end} bytes); it was dropped`,
      );
    }
    return bytes.subarray(0, end);
  } finally {
    await file.close();
  }
}

/**
 * Refuses, before any check code is asked, a journal `--resume` could not go on from: missing,
 * unreadable, or not this request's and wrapped bundle's. Reads only: a last line cut off
 * mid-write is left for openImportJournal to drop (and say so).
 */
export async function assertJournalResumable(options: {
  readonly path: string;
  readonly request: ImportRequestBundle;
  readonly digests: { readonly request: string; readonly wrapped: string };
}): Promise<void> {
  let bytes: Buffer;
  try {
    const file = await open(options.path, 'r');
    try {
      const stat = await file.stat();
      if (!stat.isFile() || stat.size > MAX_JOURNAL_BYTES) return; // openImportJournal says why
      bytes = await file.readFile();
    } finally {
      await file.close();
    }
  } catch {
    return; // openImportJournal names the problem; a missing journal was refused with the flags
  }
  const complete = bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1);
  parseImportJournal(complete.toString('utf8'), options.path, options.request, options.digests);
}

/**
 * Starts the journal of a new import (exclusive create: an existing one means an earlier run),
 * or opens an earlier one to resume, checked against this request and wrapped bundle.
 */
export async function openImportJournal(options: {
  readonly path: string;
  readonly resume: boolean;
  readonly request: ImportRequestBundle;
  readonly digests: { readonly request: string; readonly wrapped: string };
  readonly now: () => Date;
  readonly say: (line: string) => void;
}): Promise<OpenedJournalFile> {
  const { path } = options;
  let file: FileHandle;
  let earlier: JournalState;
  let resumedBytes: Uint8Array | undefined;
  if (options.resume) {
    const bytes = await readEarlier(path, options.say);
    resumedBytes = bytes;
    earlier = parseImportJournal(bytes.toString('utf8'), path, options.request, options.digests);
    file = await open(path, 'a');
  } else {
    try {
      file = await open(path, 'wx', 0o644);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ByokError(
        'ERR_JOURNAL',
        code === 'EEXIST'
          ? `an import of this request was started before: its journal ${path} exists`
          : `cannot create the import journal ${path}: ${code ?? String(error)}`,
        {
          hint:
            code === 'EEXIST'
              ? 'Run the same import again with --resume: it checks every key whose outcome is unknown and does exactly the rest.'
              : 'The journal is written beside --request: that folder must be writable.',
        },
      );
    }
    earlier = { keys: new Map(), resumes: 0 };
  }
  const lines = appender(file);
  try {
    if (options.resume) await lines.append({ event: 'resumed', time: options.now().toISOString() });
    else {
      await lines.append({
        format: IMPORT_JOURNAL_FORMAT,
        request: options.digests.request,
        wrapped: options.digests.wrapped,
        targets: options.request.targets.length,
        time: options.now().toISOString(),
      });
      await syncDirectory(path);
    }
  } catch (error) {
    await file.close();
    throw error;
  }
  return {
    path,
    earlier,
    resumedBytes,
    append: lines.append,
    close: async () => {
      await lines.drain();
      await file.close();
    },
  };
}
