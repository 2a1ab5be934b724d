import { resolve } from 'node:path';
import { ByokError, assertOperators } from '@byok-ceremony/shared';
import { assertOperatorKeyFlags } from '@byok-ceremony/node-io';
import { journalPathOf } from '../io/import-journal-file.js';
import type { ImportCeremonyInput } from '../ops/import-ceremony.js';
import { checkCodeFlags } from './check-code-flags.js';
import { concurrencyOf } from './concurrency-option.js';
import type { CliDeps } from './deps.js';
import { stringList, type GlobalOptions } from './global-options.js';
import { expirationOf } from './import-raw.js';
import { assertJournalState } from './import-options.js';
import { scanImagesOf } from './scan-options.js';

export type ImportArgs = Readonly<Record<string, unknown>>;

/** What an import needs beyond its flags' defaults, every usage error refused before the log. */
export interface ImportPlan {
  readonly input: Omit<ImportCeremonyInput, 'operators'>;
  readonly journalPath: string;
  readonly singleOperator: boolean;
  readonly checkCodes: readonly string[];
  readonly keyFiles: readonly string[];
  readonly passphraseFiles: readonly string[];
}

export function importPlanOf(args: ImportArgs, deps: CliDeps, globals: GlobalOptions): ImportPlan {
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
