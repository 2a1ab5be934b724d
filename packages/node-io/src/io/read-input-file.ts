import { readFile } from 'node:fs/promises';
import { ByokError, parseStrictJson } from '@byok-ceremony/shared';

/** Reads an input file with an error that names the file and what to do. */
export async function readInputFile(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
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
