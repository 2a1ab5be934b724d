import type { Argv } from 'yargs';

/** --operator-key and --passphrase-file: each operator signs the log entry. No default: wrap raw refuses them. */
export function withOperatorKeyOptions<T>(cli: Argv<T>) {
  return cli
    .option('operator-key', {
      type: 'string',
      array: true,
      describe:
        'Operator key files (operator keygen), in --operator order: each operator signs the log entry',
    })
    .option('passphrase-file', {
      type: 'string',
      array: true,
      describe:
        'Scripted runs: one passphrase file per --operator-key (else asked on the terminal)',
    });
}
