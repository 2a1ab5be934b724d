import type { Argv } from 'yargs';
import { parseOperatorNames } from '@byok-ceremony/shared';

export const DEFAULT_AUDIT_LOG = 'byok-offline-audit.jsonl';

/** The options every ceremony command shares: who acts, what they confirm, where it is logged. */
export function withCeremonyOptions<T>(cli: Argv<T>) {
  const withOperators = cli
    .option('operator', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'An operator present (repeat: two people unless --single-operator)',
    })
    .option('check-code', {
      type: 'string',
      array: true,
      describe:
        "The other machine's check code, as each operator read it (one per --operator, same order)",
    })
    .option('single-operator', {
      type: 'boolean',
      describe: 'Rehearsals only: one operator acts alone (logged as an exception)',
    });
  return withLogOptions(withOperators);
}

/** Where a command's audit entry goes, and whether it prints JSON: every logged command has both. */
export function withLogOptions<T>(cli: Argv<T>) {
  return cli
    .option('audit-log', {
      type: 'string',
      default: DEFAULT_AUDIT_LOG,
      describe: 'The audit log this command appends to',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print one JSON object on stdout',
    });
}

/** Operator names as the bundles accept them (NFKC, one per person), refused before any file is opened. */
export function parseOperators(names: readonly string[]): string[] {
  return parseOperatorNames(names);
}
