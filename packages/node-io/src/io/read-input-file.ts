import { ByokError, parseStrictJson } from '@byok-ceremony/shared';
import { INPUT_FILE_LIMITS, type InputFileKind } from './input-limits.js';
import { BoundedReadError, readFileBounded } from './read-bounded.js';

/**
 * Reads an input file within its kind's size limit, with an error that names the file and what
 * to do. The limit is checked before anything is parsed. `regularFileOnly`, for files that hold
 * a secret: a symbolic link, a FIFO or a device at the path is refused, without blocking.
 */
export async function readInputFile(
  path: string,
  what: InputFileKind,
  options: { readonly regularFileOnly?: boolean } = {},
): Promise<Buffer> {
  const maxBytes = INPUT_FILE_LIMITS[what];
  try {
    return await readFileBounded(path, maxBytes, options);
  } catch (error) {
    if (error instanceof BoundedReadError)
      throw new ByokError('ERR_INPUT_FILE', `the ${what} ${path} is refused: ${error.message}`, {
        hint:
          error.refusal === 'too-large'
            ? `A ${what} is at most ${maxBytes} bytes: check that this is the right file.`
            : `Name the ${what} itself: a plain file, not a pipe, folder or device.`,
      });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' && options.regularFileOnly === true)
      throw new ByokError('ERR_INPUT_FILE', `the ${what} ${path} is a symbolic link`, {
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
}

/**
 * Parses JSON with an error that says which file is not JSON. Strictly: a key given twice is
 * refused, since JSON.parse would keep the last one while another reader might take the first.
 */
export function parseJsonFile(bytes: Uint8Array, path: string, what: string): unknown {
  try {
    return parseStrictJson(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ByokError(
      'ERR_BUNDLE_INVALID',
      `${what} ${path} is not valid UTF-8 JSON: ${(error as Error).message}`,
      {
        hint: `Give the ${what} exactly as the other machine wrote it.`,
      },
    );
  }
}
