import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ByokError, assertOperators } from '@byok-ceremony/shared';
import {
  AuditSession,
  assertOperatorKeyFlags,
  factsOfFailure,
  mistypedCheckCodeException,
  promptCheckCodes,
  readAuditLogEntries,
  mistypedPassphraseException,
  openOperatorKeys,
} from '@byok-ceremony/node-io';
import { finishedImportKeys } from '../io/finished-import.js';
import {
  assertJournalResumable,
  journalPathOf,
  openImportJournal,
} from '../io/import-journal-file.js';
import {
  importCeremony,
  type ImportCeremonyInput,
  type ImportCeremonyPorts,
} from '../ops/import-ceremony.js';
import { onlinePorts, runOnlineAudited, waitOptions } from './audited.js';
import { checkCodeFlags } from './check-code-flags.js';
import { concurrencyOf } from './concurrency-option.js';
import type { CliDeps } from './deps.js';
import {
  DEFAULT_AUDIT_LOG,
  globalOptionsOf,
  stringList,
  type GlobalOptions,
} from './global-options.js';
import { expirationOf, RAW_FLAGS, runImportRaw } from './import-raw.js';
import { assertJournalState, withImportOptions } from './import-options.js';
import { keyProgress, printImported, printImportedBeforeFailure } from './import-output.js';
import { importFromPlan } from './import-plan.js';
import { planGlobals } from './plan-globals.js';
import { scanImagesOf } from './scan-options.js';
import { scanWrappedBundle } from './scan-wrapped.js';

type ImportArgs = Readonly<Record<string, unknown>>;

/** What an import needs beyond its flags' defaults, every usage error refused before the log. */
interface ImportPlan {
  readonly input: Omit<ImportCeremonyInput, 'operators'>;
  readonly journalPath: string;
  readonly singleOperator: boolean;
  readonly checkCodes: readonly string[];
  readonly keyFiles: readonly string[];
  readonly passphraseFiles: readonly string[];
}

function importPlanOf(args: ImportArgs, deps: CliDeps, globals: GlobalOptions): ImportPlan {
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
  assertJournalState(journalPath, resume);
  const singleOperator = args['single-operator'] === true;
  assertOperators(globals.operators, { singleOperator });
  const checkCodes = checkCodeFlags(args, globals.operators, deps.interactive);
  const keyFiles = stringList(args, 'operator-key').map((p) => resolve(deps.cwd, p));
  const passphraseFiles = stringList(args, 'passphrase-file').map((p) => resolve(deps.cwd, p));
  assertOperatorKeyFlags(keyFiles, passphraseFiles, globals.operators);
  const wrapped: ImportCeremonyInput['wrapped'] =
    scan === undefined
      ? { kind: 'file', path: resolve(deps.cwd, String(args['wrapped'])) }
      : { kind: 'scan', images: scan.scan };
  const rotate = args['rotate'] === true;
  return {
    input: { request, wrapped, expiration, rotate, resume, concurrency },
    journalPath,
    singleOperator,
    checkCodes,
    keyFiles,
    passphraseFiles,
  };
}

/** The import's ports: this process, this command's session, and the journal beside the request. */
async function importPorts(
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

/**
 * The same import run again once it finished (this machine's log records it): said to be
 * complete, naming its keys, exit 0 with nothing sent and nothing logged (docs/online.md).
 */
async function saidComplete(args: ImportArgs, deps: CliDeps): Promise<boolean> {
  const request = args['request'];
  if (args['resume'] === true || typeof request !== 'string') return false;
  const auditLog = resolve(
    deps.cwd,
    typeof args['audit-log'] === 'string' ? args['audit-log'] : DEFAULT_AUDIT_LOG,
  );
  const keys = await finishedImportKeys(resolve(deps.cwd, request), auditLog);
  if (keys === undefined) return false;
  deps.stderr(
    `byok-online: the import of this request is complete: all ${keys.length} key(s) were imported (as ${auditLog} records); nothing to do\n${keys.map((k) => `byok-online:   ${k}\n`).join('')}byok-online: check them with byok-online status --key-id KEY; a new import needs a new request (byok-online prepare)\n`,
  );
  return true;
}

async function runImport(args: ImportArgs, deps: CliDeps): Promise<void> {
  if (await saidComplete(args, deps)) return;
  const planned =
    typeof args['plan'] === 'string' ? await importFromPlan(args['plan'], args, deps) : undefined;
  const flagGlobals = globalOptionsOf(args, deps);
  const globals = planned === undefined ? flagGlobals : planGlobals(flagGlobals, planned.loaded);
  const plan = importPlanOf(args, deps, globals);
  const session = new AuditSession(
    'import',
    globals.operators,
    plan.singleOperator ? ['single-operator'] : [],
  );
  try {
    const result = await runOnlineAudited(deps, globals, session, async ({ signal }) =>
      importCeremony(
        {
          ...plan.input,
          operators: globals.operators,
          ...(planned === undefined ? {} : { plan: planned.plan }),
        },
        await importPorts(args, deps, globals, session, plan, signal),
      ),
    );
    if (args['json-lines'] !== true) printImported(deps, globals.json, result);
  } catch (error) {
    printImportedBeforeFailure(deps, factsOfFailure(error).keys ?? [], error);
    throw error;
  }
}

export function importCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'import',
    'Import wrapped key material into KMS and prove it (import raw: one raw file, the seed procedure)',
    (y) => withImportOptions(y, deps),
    async (args) => {
      if (RAW_FLAGS.some((flag) => args[flag] !== undefined)) {
        await runImportRaw(args, deps);
        return;
      }
      await runImport(args, deps);
    },
  );
}
