import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { ByokError } from '@byok-ceremony/shared';
import { withConcurrencyOption } from './concurrency-option.js';
import type { CliDeps } from './deps.js';
import { importRawCommand, withExpirationOptions } from './import-raw.js';

const BUNDLE_FLAGS = ['request', 'wrapped', 'scan', 'check-code', 'operator-key', 'rotate'];

/** The flags of `import` (bundle mode, the raw alias, resume and output forms). */
export function withImportOptions(y: Argv, deps: CliDeps): Argv {
  return (
    withConcurrencyOption(importRawCommand(withExpirationOptions(y), deps))
      .option('plan', {
        type: 'string',
        describe:
          "The ceremony plan: operators, operator keys and each key's expiry from it; a request that is not its own refused",
      })
      .option('resume', {
        type: 'boolean',
        describe:
          'Finish an interrupted import from its journal (REQUEST.journal.jsonl): keys whose outcome is unknown are checked in KMS first',
      })
      .option('json-lines', {
        type: 'boolean',
        describe: 'Print one JSON line per key on stdout as it settles (completion order)',
      })
      .option('request', { type: 'string', describe: 'Import request written by prepare' })
      .option('wrapped', {
        type: 'string',
        describe: 'Wrapped-key bundle from byok-offline wrap',
      })
      .option('scan', {
        type: 'string',
        array: true,
        describe: 'Instead of --wrapped: read the wrapped bundle from QR images (files or folders)',
      })
      .option('check-code', {
        type: 'string',
        array: true,
        describe: "The wrapped bundle's check code, once per --operator in the same order",
      })
      .option('single-operator', {
        type: 'boolean',
        describe: 'Rehearsal only: one operator; the audit log records the exception',
      })
      .option('operator-key', {
        type: 'string',
        array: true,
        describe: 'Operator key files (byok-offline operator keygen), in --operator order',
      })
      .option('rotate', {
        type: 'boolean',
        describe:
          'After importing new material (prepare --new-material): RotateKeyOnDemand once every Region holds it',
      })
      .option('passphrase-file', {
        type: 'string',
        array: true,
        describe: 'Scripted runs: one passphrase file per --operator-key (else asked)',
      })
      // The old raw form (import --key-id ...) is kept as an alias of `import raw`.
      .conflicts('key-id', BUNDLE_FLAGS)
      .conflicts('scan', 'wrapped')
      .implies('key-id', ['import-token', 'encrypted-key-material'])
      .implies('import-token', 'key-id')
      .implies('encrypted-key-material', 'key-id')
  );
}

/** A journal means an import was started: only --resume may go on, and --resume needs one. */
export function assertJournalState(journalPath: string, resume: boolean): void {
  if (!resume && existsSync(journalPath)) {
    throw new ByokError(
      'ERR_JOURNAL',
      `an import of this request was started before: its journal ${journalPath} exists`,
      {
        hint: 'Run the same import with --resume: it checks in KMS every key whose outcome is unknown and does exactly the rest.',
      },
    );
  }
  if (resume && !existsSync(journalPath)) {
    throw new ByokError('ERR_JOURNAL', `--resume: there is no import journal ${journalPath}`, {
      hint: 'Nothing of this request was imported by byok-online import from this folder: run import without --resume.',
    });
  }
}
