import type { Argv } from 'yargs';

/** `--operator-pubkey`, `--expect-head`, `--paper-record`, `--json`: how `audit verify` and `report` check the logs. */
export function withAuditVerifyOptions<T>(cli: Argv<T>) {
  return cli
    .option('operator-pubkey', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: "An operator's public key file: that operator's signatures must use it",
    })
    .option('expect-head', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe:
        'A log head from the paper record (head code or 64 hex digits); some log must end there',
    })
    .option('paper-record', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'A file of the heads on the paper record (format: docs/audit-log.md)',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print one JSON object on stdout',
    });
}
