import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import {
  ByokError,
  assertCheckCodesConfirmed,
  assertImportRequestBundle,
  assertOperators,
  assertWrappedAnswersRequest,
  assertWrappedKeyBundle,
  bundleDigest,
  checkCodeOf,
  formatCheckCodeConfirmed,
  type AuditSigner,
} from '@byok-ceremony/shared';
import {
  assertOperatorKeyFlags,
  parseJsonFile,
  promptCheckCodes,
  readInputFile,
  unlockOperatorKeys,
} from '@byok-ceremony/node-io';
import { assertParametersFresh } from '../ops/assert-parameters-fresh.js';
import { importRawMaterial } from '../ops/import-raw-material.js';
import { importWrappedKeys, type ImportJournal } from '../ops/import-wrapped-keys.js';
import { resolveExpiration, type Expiration } from '../ops/resolve-expiration.js';
import type { WaitOptions } from '../ops/wait-for-imported.js';
import { AuditSession, runAudited } from './audit-session.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf, openKms, stringList, type GlobalOptions } from './global-options.js';
import { scanWrappedBundle } from './scan-wrapped.js';
import { scanImagesOf } from './scan-options.js';

/** How long to wait for a key to leave PendingImport after ImportKeyMaterial. */
const WAIT_BUDGET_MS = 30_000;

const RAW_FLAGS = ['key-id', 'import-token', 'encrypted-key-material'] as const;
const BUNDLE_FLAGS = ['request', 'wrapped'] as const;

function waitOptions(deps: CliDeps): WaitOptions {
  return {
    sleep: deps.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms))),
    budgetMs: WAIT_BUDGET_MS,
  };
}

function given(args: Record<string, unknown>, flag: string): string | undefined {
  const value = args[flag];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new ByokError('ERR_USAGE', `--${flag} needs one value`, {
      hint: `Give --${flag} once, with a file name or key id.`,
    });
  }
  return value;
}

export function importCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'import',
    'Import wrapped key material into KMS and prove it (or, in raw mode, import one raw file)',
    (y) =>
      y
        .option('request', { type: 'string', describe: 'Import request written by prepare' })
        .option('wrapped', {
          type: 'string',
          describe: 'Wrapped-key bundle written by byok-offline wrap',
        })
        .option('scan', {
          type: 'string',
          array: true,
          describe:
            'Instead of --wrapped: read the wrapped bundle from QR images (PNG/JPEG files or folders)',
        })
        .option('check-code', {
          type: 'string',
          array: true,
          describe: "The wrapped bundle's check code, once per --operator in the same order",
        })
        .option('single-operator', {
          type: 'boolean',
          default: false,
          describe: 'Rehearsal only: one operator; the audit log records the exception',
        })
        .option('expiration-model', {
          type: 'string',
          describe:
            'KEY_MATERIAL_DOES_NOT_EXPIRE (default) or KEY_MATERIAL_EXPIRES (default with --valid-to)',
        })
        .option('valid-to', {
          type: 'string',
          describe: 'When the material expires, RFC 3339, at most 365 days ahead',
        })
        .option('operator-key', {
          type: 'string',
          array: true,
          describe:
            'Operator key files (byok-offline operator keygen), in --operator order: each operator signs the log entry',
        })
        .option('passphrase-file', {
          type: 'string',
          array: true,
          describe:
            'Scripted runs: one passphrase file per --operator-key (else asked on the terminal)',
        })
        .option('key-id', { type: 'string', describe: 'Raw mode: the key to import into' })
        .option('import-token', {
          type: 'string',
          describe: 'Raw mode: ImportToken.bin from prepare --raw-dir',
        })
        .option('encrypted-key-material', {
          type: 'string',
          describe: 'Raw mode: EncryptedKeyMaterial.bin',
        }),
    async (args) => {
      const globals = globalOptionsOf(args, deps);
      const scan = scanImagesOf(args, deps.cwd, RAW_FLAGS);
      const raw = RAW_FLAGS.filter((f) => args[f] !== undefined);
      const bundle = BUNDLE_FLAGS.filter((f) => args[f] !== undefined);
      if (raw.length > 0 && bundle.length > 0) {
        throw new ByokError('ERR_USAGE', `--${raw[0]!} cannot be used with --${bundle[0]!}`, {
          hint: 'Use either bundle mode (--request FILE --wrapped FILE) or raw mode (--key-id ID --import-token FILE --encrypted-key-material FILE).',
        });
      }
      const expiration = resolveExpiration(
        given(args, 'expiration-model'),
        given(args, 'valid-to'),
        deps.now(),
      );
      if (raw.length > 0) {
        const missing = RAW_FLAGS.filter((f) => args[f] === undefined);
        if (missing.length > 0) {
          throw new ByokError('ERR_USAGE', `raw mode needs --${missing.join(' and --')}`, {
            hint: 'Raw mode: --key-id ID --import-token ImportToken.bin --encrypted-key-material EncryptedKeyMaterial.bin.',
          });
        }
        if (
          args['check-code'] !== undefined ||
          args['single-operator'] ||
          args['operator-key'] !== undefined
        ) {
          throw new ByokError(
            'ERR_USAGE',
            '--check-code and --single-operator apply to bundle mode only',
            {
              hint: 'Raw files carry no check code; drop these flags, or use --request and --wrapped.',
            },
          );
        }
        await importRaw(deps, globals, expiration, {
          keyId: given(args, 'key-id')!,
          importToken: resolve(deps.cwd, given(args, 'import-token')!),
          encryptedKeyMaterial: resolve(deps.cwd, given(args, 'encrypted-key-material')!),
        });
        return;
      }
      const missing = BUNDLE_FLAGS.filter(
        (f) => args[f] === undefined && !(f === 'wrapped' && scan !== undefined),
      );
      if (missing.length > 0) {
        throw new ByokError('ERR_USAGE', `import needs --${missing.join(' and --')}`, {
          hint: 'Give --request request.json (from prepare) and --wrapped wrapped.json (from byok-offline wrap), or --scan DIR for its QR frames.',
        });
      }
      const singleOperator = args['single-operator'];
      assertOperators(globals.operators, { singleOperator });
      const checkCodes = stringList(args, 'check-code');
      if (checkCodes.length === 0 && !deps.interactive) {
        throw new ByokError(
          'ERR_CHECK_CODE_REQUIRED',
          'no --check-code given and no terminal to ask on',
          {
            hint: "Each operator reads the wrapped bundle's check code on the offline machine and gives it: --check-code CODE once per --operator, in the same order.",
          },
        );
      }
      if (checkCodes.length > 0 && checkCodes.length !== globals.operators.length) {
        throw new ByokError(
          'ERR_CHECK_CODE_REQUIRED',
          `${globals.operators.length} operator(s) but ${checkCodes.length} --check-code value(s)`,
          { hint: 'Give --check-code once per --operator, in the same order.' },
        );
      }
      const keyFiles = stringList(args, 'operator-key').map((p) => resolve(deps.cwd, p));
      const passphraseFiles = stringList(args, 'passphrase-file').map((p) => resolve(deps.cwd, p));
      assertOperatorKeyFlags(keyFiles, passphraseFiles, globals.operators);
      const signers = await unlockOperatorKeys(keyFiles, passphraseFiles, globals.operators, deps);
      await importBundles(deps, globals, expiration, {
        signers,
        request: resolve(deps.cwd, given(args, 'request')!),
        wrapped: scan ?? resolve(deps.cwd, given(args, 'wrapped')!),
        checkCodes,
        singleOperator,
      });
    },
  );
}

async function importBundles(
  deps: CliDeps,
  globals: GlobalOptions,
  expiration: Expiration,
  input: {
    readonly request: string;
    /** The wrapped bundle's file, or the QR images to read it from (--scan). */
    readonly wrapped: string | { readonly scan: readonly string[] };
    readonly checkCodes: readonly string[];
    readonly singleOperator: boolean;
    readonly signers: readonly AuditSigner[];
  },
): Promise<void> {
  const session = new AuditSession('import', globals.operators);
  session.signers = input.signers;
  if (input.singleOperator) session.exceptions.push('single-operator');
  const journal: ImportJournal = { imported: [], auditKeys: [] };
  await runAudited(deps, globals.auditLog, session, async () => {
    const requestBytes = await readInputFile(input.request, 'import request');
    session.input('requestFile', requestBytes);
    const wrappedBytes =
      typeof input.wrapped === 'string'
        ? await readInputFile(input.wrapped, 'wrapped-key bundle')
        : undefined;
    if (wrappedBytes !== undefined) session.input('wrappedFile', wrappedBytes);
    const request = parseJsonFile(requestBytes, input.request, 'import request');
    assertImportRequestBundle(request);
    session.inputs['request'] = bundleDigest(request);
    const wrapped =
      typeof input.wrapped === 'string'
        ? parseJsonFile(wrappedBytes!, input.wrapped, 'wrapped-key bundle')
        : await scanWrappedBundle(input.wrapped.scan, deps, session);
    assertWrappedKeyBundle(wrapped);
    session.inputs['wrapped'] = bundleDigest(wrapped);
    session.peerLogHead = wrapped.auditLogHead;
    assertWrappedAnswersRequest(request, wrapped);
    const checkCode = checkCodeOf(bundleDigest(wrapped));
    session.checkCodes['wrapped'] = checkCode;
    const typed =
      input.checkCodes.length > 0
        ? input.checkCodes
        : await promptCheckCodes(globals.operators, deps);
    assertCheckCodesConfirmed(checkCode, globals.operators, typed, 'wrapped-key bundle');
    deps.stderr(`byok-online: ${formatCheckCodeConfirmed(globals.operators)}\n`);
    assertParametersFresh(request, deps.now());

    const kms = await openKms(deps, globals, session);
    try {
      await importWrappedKeys(kms, request, wrapped, expiration, waitOptions(deps), journal);
    } catch (error) {
      for (const key of journal.auditKeys) {
        deps.stderr(
          `byok-online: imported before the failure: ${key.keyArn} (${key.keyState ?? 'unknown state'})\n`,
        );
      }
      if (journal.auditKeys.length > 0)
        deps.stderr(
          'byok-online: running import again with the same files is safe once the cause is fixed\n',
        );
      throw error;
    } finally {
      session.keys = journal.auditKeys;
      kms.close();
    }

    if (globals.json) {
      deps.stdout(`${JSON.stringify({ checkCode, keys: journal.imported })}\n`);
      return;
    }
    const lines = [`Imported ${journal.imported.length} key(s) (wrapped bundle ${checkCode})`];
    for (const key of journal.imported) {
      const proof =
        key.proof === 'kcv-only'
          ? `KCV ${key.kcv} on record (symmetric material cannot be proven outside KMS)`
          : `${key.proof === 'hmac' ? 'GenerateMac' : 'GetPublicKey'} matches the offline value: proven`;
      lines.push(
        '',
        `  ${key.keyArn}`,
        `    state           ${key.keyState}`,
        `    KeyMaterialId   ${key.keyMaterialId ?? '(not reported)'}`,
        `    proof           ${proof}`,
      );
    }
    deps.stdout(`${lines.join('\n')}\n`);
  });
}

async function importRaw(
  deps: CliDeps,
  globals: GlobalOptions,
  expiration: Expiration,
  input: {
    readonly keyId: string;
    readonly importToken: string;
    readonly encryptedKeyMaterial: string;
  },
): Promise<void> {
  const session = new AuditSession('import', globals.operators);
  session.exceptions.push('raw-mode');
  await runAudited(deps, globals.auditLog, session, async () => {
    const importToken = await readInputFile(input.importToken, 'import token');
    session.input('importToken', importToken);
    const encryptedKeyMaterial = await readInputFile(
      input.encryptedKeyMaterial,
      'encrypted key material',
    );
    session.input('encryptedKeyMaterial', encryptedKeyMaterial);
    const kms = await openKms(deps, globals, session);
    let result;
    try {
      result = await importRawMaterial(
        kms,
        { keyId: input.keyId, importToken, encryptedKeyMaterial, expiration },
        waitOptions(deps),
      );
    } finally {
      kms.close();
    }
    const { description, keyMaterialId } = result;
    session.keys = [
      {
        keyArn: description.arn,
        keySpec: description.keySpec,
        keyState: description.keyState,
        ...(keyMaterialId === null ? {} : { keyMaterialId }),
      },
    ];
    if (globals.json) {
      deps.stdout(
        `${JSON.stringify({ keyArn: description.arn, keyState: description.keyState, keyMaterialId })}\n`,
      );
      return;
    }
    deps.stdout(
      `Imported into ${description.arn}\n  state           ${description.keyState}\n  KeyMaterialId   ${keyMaterialId ?? '(not reported)'}\n`,
    );
    deps.stderr(
      'byok-online: note: raw mode proves nothing about the material; the bundle mode checks codes and proves HMAC and asymmetric keys\n',
    );
  });
}
