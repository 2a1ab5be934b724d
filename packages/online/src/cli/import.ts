import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ByokError, assertOperators } from '@byok-ceremony/shared';
import {
  AuditSession,
  assertOperatorKeyFlags,
  promptCheckCodes,
  readAuditLogEntries,
  unlockOperatorKeys,
} from '@byok-ceremony/node-io';
import { journalPathOf, openImportJournal } from '../io/import-journal-file.js';
import { importCeremony, type WrappedSource } from '../ops/import-ceremony.js';
import type { ImportJournal } from '../ops/import-wrapped-keys.js';
import { onlinePorts, runOnlineAudited, waitOptions } from './audited.js';
import { checkCodeFlags } from './check-code-flags.js';
import { concurrencyOf, withConcurrencyOption } from './concurrency-option.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf, stringList } from './global-options.js';
import {
  expirationOf,
  importRawCommand,
  RAW_FLAGS,
  runImportRaw,
  withExpirationOptions,
} from './import-raw.js';
import { keyProgress, printImported, printImportedBeforeFailure } from './import-output.js';
import { scanImagesOf } from './scan-options.js';
import { scanWrappedBundle } from './scan-wrapped.js';

const BUNDLE_FLAGS = [
  'request',
  'wrapped',
  'scan',
  'check-code',
  'single-operator',
  'operator-key',
];

export function importCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'import',
    'Import wrapped key material into KMS and prove it (import raw: one raw file, the seed procedure)',
    (y) =>
      withConcurrencyOption(importRawCommand(withExpirationOptions(y), deps))
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
          describe:
            'Instead of --wrapped: read the wrapped bundle from QR images (files or folders)',
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
        .implies('encrypted-key-material', 'key-id'),
    async (args) => {
      if (RAW_FLAGS.some((flag) => args[flag] !== undefined)) {
        await runImportRaw(args, deps);
        return;
      }
      const globals = globalOptionsOf(args, deps);
      const scan = scanImagesOf(args, deps.cwd);
      const expiration = expirationOf(args, deps);
      const missing = ['request', 'wrapped'].filter(
        (f) => args[f] === undefined && !(f === 'wrapped' && scan !== undefined),
      );
      if (missing.length > 0) {
        throw new ByokError('ERR_USAGE', `import needs --${missing.join(' and --')}`, {
          hint: 'Give --request request.json (from prepare) and --wrapped wrapped.json (from byok-offline wrap), or --scan DIR for its QR frames; raw files: byok-online import raw.',
        });
      }
      const request = resolve(deps.cwd, String(args['request']));
      const resume = args['resume'] === true;
      const concurrency = concurrencyOf(args);
      const journalPath = journalPathOf(request);
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
      const singleOperator = args['single-operator'] === true;
      assertOperators(globals.operators, { singleOperator });
      const checkCodes = checkCodeFlags(args, globals.operators, deps.interactive);
      const keyFiles = stringList(args, 'operator-key').map((p) => resolve(deps.cwd, p));
      const passphraseFiles = stringList(args, 'passphrase-file').map((p) => resolve(deps.cwd, p));
      assertOperatorKeyFlags(keyFiles, passphraseFiles, globals.operators);
      const session = new AuditSession('import', globals.operators);
      if (singleOperator) session.exceptions.push('single-operator');
      const wrapped: WrappedSource =
        scan === undefined
          ? { kind: 'file', path: resolve(deps.cwd, String(args['wrapped'])) }
          : { kind: 'scan', images: scan.scan };
      const journal: ImportJournal = { imported: [], auditKeys: [] };
      try {
        const result = await runOnlineAudited(deps, globals, session, async ({ signal }) =>
          importCeremony(
            {
              request,
              wrapped,
              operators: globals.operators,
              expiration,
              resume,
              concurrency,
            },
            {
              ...onlinePorts(deps, globals, session),
              scanWrapped: (images) => scanWrappedBundle(images, deps),
              typedCheckCodes: async () =>
                checkCodes.length > 0 ? checkCodes : promptCheckCodes(globals.operators, deps),
              localLog: await readAuditLogEntries(globals.auditLog),
              localLogPath: globals.auditLog,
              wait: waitOptions(deps),
              signal,
              openJournal: (options) =>
                openImportJournal({
                  ...options,
                  path: journalPath,
                  now: deps.now,
                  say: (line) => {
                    deps.stderr(`byok-online: ${line}\n`);
                  },
                }),
              onKey: keyProgress(deps, args['json-lines'] === true),
              afterConfirmation: async () => {
                session.signers = await unlockOperatorKeys(
                  keyFiles,
                  passphraseFiles,
                  globals.operators,
                  deps,
                );
              },
            },
            session,
            journal,
          ),
        );
        if (args['json-lines'] !== true) printImported(deps, globals.json, result);
      } catch (error) {
        printImportedBeforeFailure(deps, journal);
        throw error;
      }
    },
  );
}
