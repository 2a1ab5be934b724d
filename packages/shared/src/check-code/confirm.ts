import { ByokError } from '../errors.js';
import { assertDistinctOperators } from '../validation/operator-name.js';
import { checkCodesMatch } from './check-code.js';
import { codeDifference } from './code-difference.js';

export interface OperatorPolicy {
  /** Rehearsals only: lets one person act alone, and the audit log records it as an exception. */
  readonly singleOperator: boolean;
}

/** The two-person rule: two distinct named operators, or exactly one with --single-operator. */
export function assertOperators(operators: readonly string[], policy: OperatorPolicy): void {
  assertDistinctOperators(operators);
  if (policy.singleOperator) {
    if (operators.length !== 1) {
      throw new ByokError(
        'ERR_OPERATORS',
        `--single-operator takes exactly one --operator, got ${operators.length}`,
        {
          hint: 'Name the one operator of this rehearsal with --operator NAME, or drop --single-operator.',
        },
      );
    }
    return;
  }
  if (operators.length < 2) {
    throw new ByokError('ERR_OPERATORS', `two operators are required, got ${operators.length}`, {
      hint: 'Name both operators: --operator ALICE --operator BOB (each confirms the check code). For a rehearsal alone, add --single-operator; the log records it as an exception.',
    });
  }
}

/**
 * Each operator's typed code must match the code the other machine showed. The error names who
 * typed a different code, and which groups of it differ, but never echoes the expected one, so
 * a wrong code cannot be copied.
 */
export function assertCheckCodesConfirmed(
  expected: string,
  operators: readonly string[],
  typedCodes: readonly string[],
  what: string,
): void {
  if (typedCodes.length !== operators.length) {
    throw new ByokError(
      'ERR_CHECK_CODE_REQUIRED',
      `${operators.length} operator(s) but ${typedCodes.length} --check-code value(s)`,
      {
        hint: `Each operator reads the ${what}'s check code from the other machine and gives it once: --check-code CODE per --operator, in the same order.`,
      },
    );
  }
  const mismatched = operators.flatMap((operator, i) =>
    checkCodesMatch(expected, typedCodes[i]!)
      ? []
      : [{ operator, difference: codeDifference(expected, typedCodes[i]!) ?? 'it differs' }],
  );
  if (mismatched.length > 0) {
    throw new ByokError(
      'ERR_CHECK_CODE_MISMATCH',
      `the check code confirmed by ${mismatched.map((m) => m.operator).join(' and ')} does not match this ${what} (${mismatched.map((m) => `${m.operator}: ${m.difference}`).join('; ')})`,
      {
        hint: `Compare the code on both screens character by character. If it really differs, stop the ceremony: the ${what} may have been substituted or damaged in transit.`,
      },
    );
  }
}

/**
 * What the reading machine says once every operator's code matched. It never repeats the code:
 * the operators take it from the screen of the machine that wrote the bundle.
 */
export function formatCheckCodeConfirmed(operators: readonly string[]): string {
  const names =
    operators.length <= 1
      ? operators.join('')
      : `${operators.slice(0, -1).join(', ')} and ${operators.at(-1)!}`;
  return `Check code confirmed by ${names}`;
}
