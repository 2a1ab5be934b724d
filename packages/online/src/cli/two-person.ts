import type { Argv } from 'yargs';
import { assertOperators } from '@byok-ceremony/shared';

/** --single-operator for commands that change KMS key material. */
export function withSingleOperatorOption<T>(y: Argv<T>) {
  return y.option('single-operator', {
    type: 'boolean',
    describe: 'Rehearsal only: one operator; the audit log records the exception',
  });
}

/**
 * The two-person rule of every command that changes a key's material (import, rotate,
 * delete-material): two distinct --operator, or one with --single-operator, which the entry
 * records as an exception. Checked before the log or KMS is touched. Returns the exceptions
 * the command's session records.
 */
export function assertTwoPerson(
  args: Readonly<Record<string, unknown>>,
  operators: readonly string[],
): readonly string[] {
  const singleOperator = args['single-operator'] === true;
  assertOperators(operators, { singleOperator });
  return singleOperator ? ['single-operator'] : [];
}
