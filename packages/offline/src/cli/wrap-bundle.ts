import type { WrappedKeyBundle } from '@byok-ceremony/shared';
import {
  AuditSession,
  fileOutputWriter,
  mistypedCheckCodeException,
  mistypedPassphraseException,
  presentQrFrames,
  qrFramesPort,
  type PortRecorder,
  type CliDeps,
  type OperatorKeysToUnlock,
  type QrShowFlags,
} from '@byok-ceremony/node-io';
import { generateKeyMaterial } from '@byok-ceremony/node-io/key-material';
import type { MaterialSource } from '../ops/material-source.js';
import { wrapCeremony, type BackupPlan, type WrapCeremonyInput } from '../ops/wrap-ceremony.js';
import { runOfflineAudited, sayOn } from './audited.js';
import { readOfflineFile } from './material-of.js';
import { collectCheckCodes } from './collect-check-codes.js';
import { formatRequestSummary } from './format-summary.js';
import { printWrapResult } from './wrap-output.js';
import { TOOL } from './tool.js';

export interface WrapBundleFlags {
  readonly request: string;
  readonly out: string;
  /** The material and its backup step; backups register their files with the session. */
  readonly materialOf: (session: Pick<PortRecorder, 'wrote'>) => {
    readonly material: MaterialSource;
    readonly backup: BackupPlan | undefined;
  };
  /** The command logged: `wrap`, or `recover`. */
  readonly command?: string;
  readonly operators: readonly string[];
  readonly checkCodes: readonly string[];
  readonly singleOperator: boolean;
  /** --plan: the plan on record and its check of the request (wrapFromPlan). */
  readonly plan?: WrapCeremonyInput['plan'];
  readonly auditLog: string;
  readonly json: boolean;
  /**
   * Reads the operator keys before anything is asked (a bad key or passphrase file is refused
   * there); their passphrases are asked after the codes, and each key signs the audit entry.
   */
  readonly openOperatorKeys?: () => Promise<OperatorKeysToUnlock>;
  /** `--qr DIR` / `--qr-terminal`: the wrapped bundle also as QR codes, for the way back. */
  readonly qr?: QrShowFlags | undefined;
}

const WRAP_CHECK_CODE_LINE =
  'Check code: confirm below with the code the online machine shows (byok-online prepare)';

/** Printed again after terminal playback: the check code the online operators confirm. */
function wrappedCodeReminder(checkCode: string): string {
  return `Wrapped-key bundle, check code ${checkCode}: confirm it on the online machine`;
}

/** Bundle mode: the wrap ceremony through the audited runner, then its result printed. */
export async function runWrapBundle(flags: WrapBundleFlags, deps: CliDeps): Promise<void> {
  const session = new AuditSession(flags.command ?? 'wrap', flags.operators);
  const { material, backup } = flags.materialOf(session);
  const result = await runOfflineAudited(deps, flags.auditLog, session, async (run) => {
    const operatorKeys = await flags.openOperatorKeys?.();
    const { logHead, signal } = run;
    return wrapCeremony(
      {
        request: flags.request,
        out: flags.out,
        material,
        backup,
        operators: flags.operators,
        singleOperator: flags.singleOperator,
        ...(flags.plan === undefined ? {} : { plan: flags.plan }),
      },
      {
        readFile: readOfflineFile,
        generate: generateKeyMaterial,
        now: deps.now,
        writer: fileOutputWriter(session),
        qr: qrFramesPort<WrappedKeyBundle>(flags.qr, session),
        typedCheckCodes: (difference) =>
          collectCheckCodes(flags.checkCodes, flags.operators, deps, 'import request', {
            difference,
            mistyped: (operator) => {
              session.noteException(mistypedCheckCodeException(operator));
            },
          }),
        showRequest: (summary) => {
          deps.stderr(`${formatRequestSummary(summary, WRAP_CHECK_CODE_LINE).join('\n')}\n`);
        },
        say: sayOn(deps),
        logHead,
        signal,
        afterConfirmation: async () => {
          session.signers =
            (await operatorKeys?.unlock((operator) => {
              session.noteException(mistypedPassphraseException(operator));
            })) ?? [];
        },
      },
    );
  });
  printWrapResult(flags, result, deps);
  if (result.qrFrames !== undefined && flags.qr !== undefined)
    await presentQrFrames(
      result.qrFrames,
      flags.qr,
      wrappedCodeReminder(result.checkCode),
      deps,
      TOOL,
    );
}
