import { constants, open } from 'node:fs/promises';
import { ByokError } from '@byok-ceremony/shared';
import { INPUT_FILE_LIMITS, type InputFileKind } from '@byok-ceremony/node-io';

/** Group or other permission bits: a file with any of them is not private to its owner. */
const NOT_PRIVATE = 0o077;

/**
 * Non-blocking, so that a FIFO (or a device) at the path cannot hold the open until a writer
 * comes, past SIGTERM; no symbolic link followed, so what is checked is the file named.
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/**
 * Reads a file that holds secret material (material, material set, component, share, age
 * identity): a regular file, no larger than its kind's limit (INPUT_FILE_LIMITS, or a smaller
 * `maxBytes`), with no group or other permission bits. Type and mode are read from the opened
 * descriptor, so a file swapped after the check is not read instead.
 */
export async function readPrivateFile(
  path: string,
  what: InputFileKind,
  maxBytes: number = INPUT_FILE_LIMITS[what],
): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP')
      throw new ByokError('ERR_INPUT_FILE', `${what} ${path} is a symbolic link`, {
        hint: `Give the path of the ${what} itself, not a link to it.`,
      });
    throw new ByokError(
      'ERR_INPUT_FILE',
      code === 'ENOENT'
        ? `${what} ${path} does not exist`
        : `cannot read ${what} ${path}: ${(error as Error).message}`,
      { hint: `Check the path of the ${what}.` },
    );
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new ByokError(
        'ERR_INPUT_FILE',
        `${what} ${path} is not a regular file (${stat.isFIFO() ? 'a FIFO' : stat.isDirectory() ? 'a folder' : 'a device or socket'})`,
        { hint: `Give the ${what} as a plain file, not a pipe, folder or device.` },
      );
    if ((stat.mode & NOT_PRIVATE) !== 0)
      throw new ByokError(
        'ERR_MATERIAL_PERMISSIONS',
        `${what} ${path} can be read or written by others (mode ${(stat.mode & 0o777).toString(8).padStart(3, '0')}); material files must be private to their owner`,
        {
          hint: `chmod 600 ${path}, and run umask 077 before any material is made so that new files are private.`,
        },
      );
    if (stat.size > maxBytes)
      throw new ByokError(
        'ERR_INPUT_FILE',
        `${what} ${path} has ${stat.size} bytes; one is at most ${maxBytes}`,
        {
          hint: `Give the ${what} itself, not another file.`,
        },
      );
    const bytes = Buffer.alloc(stat.size);
    const { bytesRead } = await handle.read(bytes, 0, stat.size, 0);
    if (bytesRead !== stat.size) {
      bytes.fill(0);
      throw new ByokError('ERR_INPUT_FILE', `${what} ${path} changed while it was read`, {
        hint: 'Read it again when nothing else writes it.',
      });
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
