import { constants, open, type FileHandle } from 'node:fs/promises';

/** Why a bounded read failed: the file is larger than its limit, or is not a regular file. */
export type BoundedReadRefusal = 'too-large' | 'not-a-file';

export class BoundedReadError extends Error {
  constructor(
    readonly refusal: BoundedReadRefusal,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a whole file of at most `maxBytes`, checked before reading from its size and again
 * while reading, so that neither a huge file nor a device that never ends (/dev/zero) is
 * taken in. `regularFileOnly` refuses a symbolic link at the path (O_NOFOLLOW: the open fails
 * with ELOOP), and anything but a regular file, without blocking on a FIFO.
 */
export async function readFileBounded(
  path: string,
  maxBytes: number,
  options: { readonly regularFileOnly?: boolean } = {},
): Promise<Buffer> {
  const strict = options.regularFileOnly === true;
  const flags = constants.O_RDONLY | (strict ? constants.O_NOFOLLOW | constants.O_NONBLOCK : 0);
  const handle = await open(path, flags);
  try {
    if (strict && !(await handle.stat()).isFile())
      throw new BoundedReadError('not-a-file', 'it is not a regular file');
    return await readHandleBounded(handle, maxBytes);
  } finally {
    await handle.close();
  }
}

/** The rest of an open file, refused once it passes `maxBytes`. */
export async function readHandleBounded(handle: FileHandle, maxBytes: number): Promise<Buffer> {
  const stat = await handle.stat();
  if (stat.isDirectory()) throw new BoundedReadError('not-a-file', 'it is a directory');
  if (stat.isFile() && stat.size > maxBytes)
    throw new BoundedReadError('too-large', tooLarge(stat.size, maxBytes));
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
      chunks.push(chunk);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes)
        throw new BoundedReadError(
          'too-large',
          `it holds more than the limit of ${maxBytes} bytes`,
        );
      chunks[chunks.length - 1] = chunk.subarray(0, bytesRead);
    }
    return Buffer.concat(chunks, total);
  } finally {
    // The returned copy is the caller's to zero; the read buffers may hold a passphrase.
    for (const chunk of chunks) chunk.fill(0);
  }
}

function tooLarge(size: number, maxBytes: number): string {
  return `it is ${size} bytes, above the limit of ${maxBytes} bytes`;
}
