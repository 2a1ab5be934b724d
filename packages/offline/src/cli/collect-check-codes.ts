import { ByokError } from '@byok-ceremony/shared';
import { promptCheckCodes, type CheckCodeRetry, type CliDeps } from '@byok-ceremony/node-io';

/**
 * The codes given with --check-code (checked once, a wrong one fails at once), or typed at a
 * prompt on a terminal, where a mistyped code is asked again (`retry`); refused otherwise.
 */
export async function collectCheckCodes(
  given: readonly string[],
  operators: readonly string[],
  deps: CliDeps,
  what: string,
  retry?: CheckCodeRetry,
): Promise<readonly string[]> {
  if (given.length > 0) return given;
  if (!deps.interactive) {
    throw new ByokError('ERR_CHECK_CODE_REQUIRED', `the ${what}'s check code was not confirmed`, {
      hint: `Each operator reads the check code the other machine showed for the ${what} and gives it: --check-code CODE once per --operator, in the same order (or run on a terminal to be asked).`,
    });
  }
  return promptCheckCodes(operators, deps, retry);
}
