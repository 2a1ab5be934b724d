import { timingSafeEqual } from 'node:crypto';
import { ByokError, type ByokErrorCode } from '@byok-ceremony/shared';
import { PassphraseTooShort, promptPassphrase } from './operator-key-passphrase.js';

/** Tries at choosing a new passphrase before the command gives up: a slip costs a retype. */
export const NEW_PASSPHRASE_TRIES = 3;

export interface NewPassphrasePrompts {
  readonly first: string;
  readonly again: string;
  /** The error code when every try failed. */
  readonly code: ByokErrorCode;
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A new passphrase typed twice without echo. Two that differ, or one too short, are asked again
 * (NEW_PASSPHRASE_TRIES in all), since nothing was made with them yet: at a ceremony the typing
 * comes after both operators confirmed their codes, and a slip must not cost those. The end of
 * input is not a slip and ends the command at once.
 */
export async function promptNewPassphrase(
  prompts: NewPassphrasePrompts,
  io: { readonly stdin: NodeJS.ReadableStream; readonly stderr: (text: string) => void },
): Promise<Buffer> {
  for (let attempt = 1; ; attempt++) {
    const last = attempt === NEW_PASSPHRASE_TRIES;
    const retry = `(try ${attempt + 1} of ${NEW_PASSPHRASE_TRIES})`;
    const first = await typed(prompts.first, io);
    if (first instanceof PassphraseTooShort) {
      if (last) throw first;
      io.stderr(`${first.message}; choose another ${retry}.\n`);
      continue;
    }
    const again = await typed(prompts.again, io).catch((error: unknown) => {
      first.fill(0);
      throw error;
    });
    const match = again instanceof Buffer && same(first, again);
    if (again instanceof Buffer) again.fill(0);
    if (match) return first;
    first.fill(0);
    if (last)
      throw new ByokError(
        prompts.code,
        `the two passphrases differed ${NEW_PASSPHRASE_TRIES} times`,
        {
          hint: 'Run the command again and type the same passphrase twice; nothing was made with it.',
        },
      );
    io.stderr(`The two passphrases differ; type the new passphrase again, twice ${retry}.\n`);
  }
}

/** One passphrase typed, or the refusal of one too short (other errors end the command). */
async function typed(
  prompt: string,
  io: { readonly stdin: NodeJS.ReadableStream; readonly stderr: (text: string) => void },
): Promise<Buffer | PassphraseTooShort> {
  try {
    return await promptPassphrase(prompt, io);
  } catch (error) {
    if (error instanceof PassphraseTooShort) return error;
    throw error;
  }
}
