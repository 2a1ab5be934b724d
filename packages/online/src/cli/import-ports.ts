import {
  mistypedCheckCodeException,
  mistypedPassphraseException,
  openOperatorKeys,
  promptCheckCodes,
  readAuditLogEntries,
  type AuditSession,
} from '@byok-ceremony/node-io';
import { assertJournalResumable, openImportJournal } from '../io/import-journal-file.js';
import type { ImportCeremonyPorts } from '../ops/import-ceremony.js';
import { onlinePorts, waitOptions } from './audited.js';
import type { CliDeps } from './deps.js';
import type { GlobalOptions } from './global-options.js';
import type { ImportArgs, ImportPlan } from './import-flags.js';
import { keyProgress } from './import-output.js';
import { scanWrappedBundle } from './scan-wrapped.js';

/** The import's ports: this process, this command's session, and the journal beside the request. */
export async function importPorts(
  args: ImportArgs,
  deps: CliDeps,
  globals: GlobalOptions,
  session: AuditSession,
  plan: ImportPlan,
  signal: AbortSignal,
): Promise<ImportCeremonyPorts> {
  const { checkCodes, keyFiles, passphraseFiles } = plan;
  // Key and passphrase files are refused here, before the codes are asked for.
  const operatorKeys = await openOperatorKeys(keyFiles, passphraseFiles, globals.operators, deps);
  return {
    ...onlinePorts(deps, globals, session),
    scanWrapped: (images) => scanWrappedBundle(images, deps),
    typedCheckCodes: async (difference) =>
      checkCodes.length > 0
        ? checkCodes
        : promptCheckCodes(globals.operators, deps, {
            difference,
            mistyped: (operator) => {
              session.noteException(mistypedCheckCodeException(operator));
            },
          }),
    localLog: await readAuditLogEntries(globals.auditLog),
    localLogPath: globals.auditLog,
    wait: waitOptions(deps),
    signal,
    assertJournalResumable: (options) =>
      assertJournalResumable({ ...options, path: plan.journalPath }),
    openJournal: (options) =>
      openImportJournal({
        ...options,
        path: plan.journalPath,
        now: deps.now,
        say: (line) => {
          deps.stderr(`byok-online: ${line}\n`);
        },
      }),
    onKey: keyProgress(deps, args['json-lines'] === true),
    afterConfirmation: async () => {
      session.signers = await operatorKeys.unlock((operator) => {
        session.noteException(mistypedPassphraseException(operator));
      });
    },
  };
}
