import { ByokError } from '@byok-ceremony/shared';
import { stringList } from './global-options.js';

/**
 * `--check-code`, once per operator in operator order; none at all only on a terminal, where
 * each operator is asked. Refused before any file is opened.
 */
export function checkCodeFlags(
  args: Readonly<Record<string, unknown>>,
  operators: readonly string[],
  interactive: boolean,
): string[] {
  const checkCodes = stringList(args, 'check-code');
  if (checkCodes.length === 0 && !interactive) {
    throw new ByokError(
      'ERR_CHECK_CODE_REQUIRED',
      'no --check-code given and no terminal to ask on',
      {
        hint: "Each operator reads the wrapped bundle's check code on the offline machine's screen and gives it: --check-code CODE once per --operator, in the same order.",
      },
    );
  }
  if (checkCodes.length > 0 && checkCodes.length !== operators.length) {
    throw new ByokError(
      'ERR_CHECK_CODE_REQUIRED',
      `${operators.length} operator(s) but ${checkCodes.length} --check-code value(s)`,
      { hint: 'Give --check-code once per --operator, in the same order.' },
    );
  }
  return checkCodes;
}
