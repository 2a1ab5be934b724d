import { readHiddenLine } from './read-hidden-line.js';
import type { PromptIo } from './operator-key-passphrase.js';

/** How many times an operator may type a check code at a terminal before the command fails. */
export const CHECK_CODE_TRIES = 3;

/** The audit entry's exception for one wrong try at the prompt: `check-code-mistyped:OPERATOR`. */
export function mistypedCheckCodeException(operator: string): string {
  return `check-code-mistyped:${operator}`;
}

/** A typed code checked at once, so a slip of the keyboard is typed again, not the command run again. */
export interface CheckCodeRetry {
  /** How the typed code differs from the code on record (which groups), undefined when it matches. */
  readonly difference: (typed: string) => string | undefined;
  /** One wrong try of `operator`'s: the audit entry records each one. */
  readonly mistyped: (operator: string) => void;
}

async function readCode(operator: string, io: PromptIo): Promise<string> {
  io.stderr(`${operator}, type the check code shown on the other machine: `);
  try {
    // Input that ends early is a missing answer, not a wrong code: no false alarm of substitution.
    const line = await readHiddenLine(io.stdin, {
      what: `${operator}'s check code`,
      code: 'ERR_CHECK_CODE_REQUIRED',
      endHint: 'Each operator types the check code shown on the other machine, one line each.',
    });
    return line.toString('utf8').trim();
  } finally {
    io.stderr('\n');
  }
}

/**
 * Asks each operator in turn, on stderr, for the check code the other machine shows, and reads
 * one line per operator from stdin. On a terminal the typing is hidden, so the second operator
 * cannot copy the first one's entry off the screen; each must read the code off the other
 * machine's screen. With `retry`, a wrong code is said to be wrong (which groups differ, never
 * the code) and asked again, up to CHECK_CODE_TRIES tries; the last try is returned as typed,
 * for the caller's check to refuse.
 */
export async function promptCheckCodes(
  operators: readonly string[],
  io: PromptIo,
  retry?: CheckCodeRetry,
): Promise<string[]> {
  const codes: string[] = [];
  for (const operator of operators) {
    for (let attempt = 1; ; attempt++) {
      const code = await readCode(operator, io);
      const difference = retry?.difference(code);
      if (difference === undefined) {
        codes.push(code);
        break;
      }
      retry!.mistyped(operator);
      if (attempt === CHECK_CODE_TRIES) {
        codes.push(code);
        break;
      }
      io.stderr(
        `${operator}, that code does not match: ${difference}. Compare it with the other machine's screen and type it again (try ${attempt + 1} of ${CHECK_CODE_TRIES}).\n`,
      );
    }
  }
  return codes;
}
