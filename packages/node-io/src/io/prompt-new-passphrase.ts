import { timingSafeEqual } from 'node:crypto';
import { ByokError, type ByokErrorCode } from '@byok-ceremony/shared';
import { PassphraseTooShort, promptPassphrase, type PromptIo } from './operator-key-passphrase.js';

/** Tries at choosing a new passphrase before the command gives up: a slip costs a retype. */
const TRIES = 3;

export interface NewPassphrasePrompts {
  readonly first: string;
  readonly again: string;
  /** The error code when every try failed. */
  readonly code: ByokErrorCode;
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** One passphrase typed, or the refusal of one too short (other errors end the command). */
async function typed(prompt: string, io: PromptIo): Promise<Buffer | PassphraseTooShort> {
  try {
    return await promptPassphrase(prompt, io);
  } catch (error) {
    if (error instanceof PassphraseTooShort) return error;
    throw error;
  }
}

/** A first passphrase long enough and the same typed again, or what was wrong with the try. */
async function oneTry(prompts: NewPassphrasePrompts, io: PromptIo): Promise<Buffer | string> {
  const first = await typed(prompts.first, io);
  if (first instanceof PassphraseTooShort) return `${first.message}; choose another`;
  const again = await typed(prompts.again, io).catch((error: unknown) => {
    first.fill(0);
    throw error;
  });
  const match = again instanceof Buffer && same(first, again);
  if (again instanceof Buffer) again.fill(0);
  if (match) return first;
  first.fill(0);
  return 'The two passphrases differ; type the new passphrase again, twice';
}

/**
 * A new passphrase typed twice without echo. Two that differ, or one too short, are asked again
 * (3 tries in all), since nothing was made with them yet: at a ceremony the typing comes after
 * both operators confirmed their codes, and a slip must not cost those. The end of input is not
 * a slip and ends the command at once.
 */
export async function promptNewPassphrase(
  prompts: NewPassphrasePrompts,
  io: PromptIo,
): Promise<Buffer> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await oneTry(prompts, io);
    if (typeof outcome !== 'string') return outcome;
    if (attempt === TRIES)
      throw new ByokError(prompts.code, `no new passphrase after ${TRIES} tries: ${outcome}`, {
        hint: `Run the command again and type one passphrase of at least the minimum length twice alike; nothing was made with it.`,
      });
    io.stderr(`${outcome} (try ${attempt + 1} of ${TRIES}).\n`);
  }
}
