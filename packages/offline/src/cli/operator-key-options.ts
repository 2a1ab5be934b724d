import type { Argv } from 'yargs';

/** --operator-key and --passphrase-file, as wrap has them: each operator signs the log entry. */
export function withOperatorKeyOptions<T>(cli: Argv<T>) {
  return cli
    .option('operator-key', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe:
        'Operator key files (operator keygen), in --operator order: each operator signs the log entry',
    })
    .option('passphrase-file', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe:
        'Scripted runs: one passphrase file per --operator-key (else asked on the terminal)',
    });
}
