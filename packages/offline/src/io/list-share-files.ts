import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ByokError } from '@byok-ceremony/shared';

/** A share as a file: its text, or an image (scan or photograph) of its page's QR codes. */
const SHARE_FILE = /\.(txt|png|jpe?g)$/i;
export const SHARE_IMAGE = /\.(png|jpe?g)$/i;

/**
 * `recover --shares PATH...`: the files named, and for a folder its share files and images in
 * name order (page-2 before page-10), so a share's scanned pages come together and in order.
 */
export async function listShareFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      // lstat: a link to a folder is not followed; as a file, reading it refuses the link.
      isDirectory = (await lstat(path)).isDirectory();
    } catch {
      throw new ByokError('ERR_INPUT_FILE', `share file ${path} does not exist`, {
        hint: 'Give share files (share-I-of-N.txt), PNG or JPEG images of share pages, or folders of them.',
      });
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path))
      .filter((name) => SHARE_FILE.test(name) && !name.startsWith('.'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (names.length === 0)
      throw new ByokError('ERR_INPUT_FILE', `folder ${path} holds no share file or image`, {
        hint: 'Put the share files (.txt) or the scans of share pages (.png, .jpg) there.',
      });
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
}
