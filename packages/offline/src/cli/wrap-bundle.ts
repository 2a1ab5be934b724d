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
  parseStrictJson,
  wrappingKeyFingerprint,
  decodeBase64,
  type AuditSigner,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import { unlink } from 'node:fs/promises';
import {
  assertOutputAbsent,
  assertQrFolderUsable,
  parseJsonFile,
  presentQrFrames,
  readInputFile,
  writeBundleQrFrames,
  writeFileExclusive,
  type CliDeps,
  type QrFramesWritten,
  type QrShowFlags,
} from '@byok-ceremony/node-io';
import { checkParametersValid } from '../ops/check-parameters-valid.js';
import { describeRequest } from '../ops/describe-request.js';
import { wrapRequest, type MaterialInput } from '../ops/wrap-request.js';
import { AuditDraft, sha256Hex } from './audit-draft.js';
import { collectCheckCodes } from './collect-check-codes.js';
import { formatRequestSummary } from './format-summary.js';
import { TOOL } from './tool.js';

export interface WrapBundleFlags {
  readonly request: string;
  readonly out: string;
  readonly materialFile: string | undefined;
  readonly noBackup: boolean;
  readonly operators: readonly string[];
  readonly checkCodes: readonly string[];
  readonly singleOperator: boolean;
  readonly auditLog: string;
  readonly json: boolean;
  /** Unlocked operator keys; each signs the audit entry. */
  readonly signers?: readonly AuditSigner[];
  /** `--qr DIR` / `--qr-terminal`: the wrapped bundle also as QR codes, for the way back. */
  readonly qr?: QrShowFlags | undefined;
}

const WRAP_CHECK_CODE_LINE =
  'Check code: confirm below with the code the online machine shows (byok-online prepare)';

const NO_BACKUP_WARNING =
  'warning: --no-backup: the generated material will exist only inside KMS, which cannot export it; an expired or deleted key can never be restored';

/** Bundle mode: confirm the request, wrap material for each target, write the wrapped bundle. */
export async function runWrapBundle(flags: WrapBundleFlags, deps: CliDeps): Promise<void> {
  const audit = new AuditDraft('wrap', flags.auditLog, deps);
  audit.operators = flags.operators;
  audit.signers = flags.signers ?? [];
  let bundle: WrappedKeyBundle;
  let checkCode: string;
  let qrFrames: QrFramesWritten | undefined;
  try {
    await assertOutputAbsent(flags.out);
    if (flags.qr?.dir !== undefined) await assertQrFolderUsable(flags.qr.dir);
    const requestBytes = await readInputFile(flags.request, 'import request');
    audit.inputs['requestFile'] = sha256Hex(requestBytes);
    const request = parseJsonFile(requestBytes, flags.request, 'import request');
    assertImportRequestBundle(request);
    // Bundle digests link the two logs whatever the transport; file digests are kept beside them.
    audit.inputs['request'] = bundleDigest(request);
    audit.peerLogHead = request.auditLogHead;
    audit.keys = request.targets.map((t) => ({
      keyArn: t.keyArn,
      keySpec: t.keySpec,
      materialGroup: t.materialGroup,
      wrappingKeyFingerprint: wrappingKeyFingerprint(decodeBase64(t.publicKey) ?? new Uint8Array()),
      parametersValidTo: t.parametersValidTo,
    }));
    const groups = new Set(request.targets.map((t) => t.materialGroup));
    if (flags.materialFile !== undefined && groups.size !== 1) {
      throw new ByokError(
        'ERR_USAGE',
        `--material-file gives one material, but the request has ${groups.size} material groups`,
        {
          hint: 'Leave out --material-file to generate material for each group, or prepare a request for the one key (or one multi-Region key) this material belongs to.',
        },
      );
    }
    const summary = describeRequest(request, deps.now());
    audit.checkCodes['request'] = summary.checkCode;
    // The code the operators type must come from the online screen, never from this one.
    deps.stderr(
      `${formatRequestSummary(summary, { kind: 'withhold', line: WRAP_CHECK_CODE_LINE }).join('\n')}\n`,
    );

    assertOperators(flags.operators, { singleOperator: flags.singleOperator });
    if (flags.singleOperator) audit.exceptions.push('single-operator');
    const typed = await collectCheckCodes(
      flags.checkCodes,
      flags.operators,
      deps,
      'import request',
    );
    assertCheckCodesConfirmed(summary.checkCode, flags.operators, typed, 'import request');
    deps.stderr(`${formatCheckCodeConfirmed(flags.operators)}\n`);

    if (flags.materialFile === undefined) {
      if (!flags.noBackup) {
        throw new ByokError(
          'ERR_BACKUP_REQUIRED',
          'generated material needs a backup, and wrap cannot make one yet',
          {
            hint: 'the generated material would exist only inside KMS: KMS cannot export it, so an expired or deleted key could never be restored. Pass --no-backup to accept that (rehearsals), or use --material-file with material you keep',
          },
        );
      }
      audit.exceptions.push('no-backup');
      deps.stderr(`${TOOL}: ${NO_BACKUP_WARNING}\n`);
    }
    for (const warning of checkParametersValid(request.targets, deps.now()))
      deps.stderr(`${TOOL}: warning: ${warning}\n`);

    const materialBytes =
      flags.materialFile === undefined
        ? undefined
        : await readInputFile(flags.materialFile, 'material file');
    const material: MaterialInput =
      materialBytes === undefined ? { kind: 'generate' } : { kind: 'file', bytes: materialBytes };
    try {
      bundle = wrapRequest({
        request,
        material,
        operators: flags.operators,
        auditLogHead: await audit.head(),
        createdAt: deps.now().toISOString(),
      });
    } finally {
      materialBytes?.fill(0);
    }
    const text = `${JSON.stringify(bundle, null, 2)}\n`;
    // Check what is about to be written the way import will read it.
    assertWrappedKeyBundle(parseStrictJson(text));
    assertWrappedAnswersRequest(request, bundle);
    checkCode = checkCodeOf(bundleDigest(bundle));
    await writeFileExclusive(flags.out, text, 0o644);
    if (flags.qr !== undefined) {
      try {
        qrFrames = await writeBundleQrFrames(bundle, flags.qr);
      } catch (error) {
        await unlink(flags.out).catch(() => undefined);
        throw error;
      }
      audit.outputs['qrTransfer'] = qrFrames.transferSha256;
    }
    audit.outputs['wrapped'] = bundleDigest(bundle);
    audit.outputs['wrappedFile'] = sha256Hex(Buffer.from(text));
    audit.checkCodes['wrapped'] = checkCode;
    audit.keys = audit.keys.map((key) => {
      const material = bundle.materials.find((m) => m.materialGroup === key.materialGroup);
      return material === undefined
        ? key
        : { ...key, kcv: material.kcv, proof: material.proof.kind };
    });
  } catch (error) {
    await audit.appendFailure(error);
    throw error;
  }
  await audit.appendSuccess([flags.out, ...(qrFrames?.files ?? [])]);
  printResult(flags, bundle, checkCode, audit.checkCodes['request'] ?? '', deps);
  if (qrFrames !== undefined && flags.qr !== undefined)
    await presentQrFrames(qrFrames, flags.qr, wrappedCodeReminder(checkCode), deps, TOOL);
}

/** Printed again after terminal playback: the check code the online operators confirm. */
function wrappedCodeReminder(checkCode: string): string {
  return `Wrapped-key bundle, check code ${checkCode}: confirm it on the online machine`;
}

function printResult(
  flags: WrapBundleFlags,
  bundle: WrappedKeyBundle,
  checkCode: string,
  requestCheckCode: string,
  deps: CliDeps,
): void {
  const materials = bundle.materials.map((m) => ({
    materialGroup: m.materialGroup,
    keySpec: m.keySpec,
    kcv: m.kcv,
    source: m.source,
  }));
  const targets = bundle.targets.map((t) => ({ keyArn: t.keyArn, materialGroup: t.materialGroup }));
  if (flags.json) {
    deps.stdout(
      `${JSON.stringify({
        checkCode,
        requestCheckCode,
        requestDigest: bundle.requestDigest,
        digest: bundleDigest(bundle),
        out: flags.out,
        materials,
        targets,
      })}\n`,
    );
    return;
  }
  const lines = [`Wrote ${flags.out}`, 'Materials (key check values):'];
  for (const m of materials)
    lines.push(`  ${m.materialGroup}: ${m.keySpec} KCV ${m.kcv} (${m.source})`);
  lines.push('Targets:');
  for (const t of targets) lines.push(`  ${t.keyArn} (material group ${t.materialGroup})`);
  lines.push(
    `Check code of the wrapped bundle (read it aloud to the online operators): ${checkCode}`,
  );
  deps.stdout(`${lines.join('\n')}\n`);
}
