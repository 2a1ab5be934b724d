import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import {
  ByokError,
  DEFAULT_QR_DENSITY,
  DEFAULT_WRAPPING_KEY_SPEC,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  bundleDigest,
  checkCodeOf,
  decodeBase64,
  formatFingerprint,
  isWrappingAlgorithm,
  isWrappingKeySpec,
  wrappingKeyFingerprint,
  type QrDensity,
} from '@byok-ceremony/shared';
import {
  assertOutputAbsent,
  assertQrFolderUsable,
  presentQrFrames,
  qrShowFlagsOf,
  readAuditLogPosition,
  withQrShowOptions,
  writeBundleQrFrames,
  writeFileExclusive,
  type QrFramesWritten,
} from '@byok-ceremony/node-io';
import { writeRawParameters } from '../io/write-raw-parameters.js';
import { prepareImport } from '../ops/prepare-import.js';
import { AuditSession, runAudited } from './audit-session.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf, openKms, stringList } from './global-options.js';
import { TOOL } from './tool.js';

/** The request goes out at `normal`: version-18 codes, comfortable for a 720p webcam. */
const REQUEST_QR_DENSITY: QrDensity = DEFAULT_QR_DENSITY;

export function prepareCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'prepare',
    'Get import parameters for one or more EXTERNAL keys and write the import request for the offline machine',
    (y) =>
      withQrShowOptions(y, REQUEST_QR_DENSITY)
        .option('key-id', {
          type: 'string',
          array: true,
          describe: 'Key id, ARN, alias name or alias ARN (repeatable)',
        })
        .option('wrapping-algorithm', {
          type: 'string',
          describe: `One of ${WRAPPING_ALGORITHMS.join(', ')} (default: per key spec)`,
        })
        .option('wrapping-key-spec', {
          type: 'string',
          default: DEFAULT_WRAPPING_KEY_SPEC,
          describe: `One of ${WRAPPING_KEY_SPECS.join(', ')}`,
        })
        .option('out', {
          type: 'string',
          describe: 'Import request file to write (must not exist)',
        })
        .option('raw-dir', {
          type: 'string',
          describe: 'Also write DIR/KEY_ID/PublicKey.bin and ImportToken.bin (DIR must not exist)',
        }),
    async (args) => {
      const globals = globalOptionsOf(args, deps);
      const keyIds = stringList(args, 'key-id');
      if (keyIds.length === 0) {
        throw new ByokError('ERR_USAGE', 'prepare needs at least one --key-id', {
          hint: 'Name each key: --key-id KEY_ID_OR_ARN (repeatable); create one with byok-online create-key.',
        });
      }
      const duplicates = keyIds.filter((k, i) => keyIds.indexOf(k) !== i);
      if (duplicates.length > 0) {
        throw new ByokError('ERR_USAGE', `--key-id ${duplicates[0]!} is given twice`, {
          hint: 'Name each key once.',
        });
      }
      const algorithm = args['wrapping-algorithm'];
      if (algorithm !== undefined && !isWrappingAlgorithm(algorithm)) {
        throw new ByokError('ERR_USAGE', `unknown --wrapping-algorithm ${algorithm}`, {
          hint: `Use one of ${WRAPPING_ALGORITHMS.join(', ')}, or leave it out to pick per key spec.`,
        });
      }
      const wrappingKeySpec = args['wrapping-key-spec'];
      if (!isWrappingKeySpec(wrappingKeySpec)) {
        throw new ByokError('ERR_USAGE', `unknown --wrapping-key-spec ${wrappingKeySpec}`, {
          hint: `Use one of ${WRAPPING_KEY_SPECS.join(', ')} (RSA_4096 is preferred).`,
        });
      }
      if (args.out === undefined || args.out === '') {
        throw new ByokError('ERR_USAGE', 'prepare needs --out FILE', {
          hint: 'Name the import request file to write, e.g. --out request.json.',
        });
      }
      const out = resolve(deps.cwd, args.out);
      const rawDir = args['raw-dir'] === undefined ? undefined : resolve(deps.cwd, args['raw-dir']);
      const qr = qrShowFlagsOf(args, deps.cwd, REQUEST_QR_DENSITY);
      let qrShown: { frames: QrFramesWritten; caption: string } | undefined;

      const session = new AuditSession('prepare', globals.operators);
      await runAudited(deps, globals.auditLog, session, async () => {
        await assertOutputAbsent(out);
        if (rawDir !== undefined) await assertOutputAbsent(rawDir);
        if (qr?.dir !== undefined) await assertQrFolderUsable(qr.dir);
        const { head } = await readAuditLogPosition(globals.auditLog);
        const kms = await openKms(deps, globals, session);
        let prepared;
        try {
          prepared = await prepareImport(kms, {
            keyIds,
            wrappingAlgorithm: algorithm,
            wrappingKeySpec,
            operators: globals.operators,
            auditLogHead: head,
            now: deps.now(),
            ceremonyId: randomUUID(),
          });
        } finally {
          kms.close();
        }
        const { bundle } = prepared;
        const digest = bundleDigest(bundle);
        const checkCode = checkCodeOf(digest);
        const targets = bundle.targets.map((t) => ({
          keyArn: t.keyArn,
          keySpec: t.keySpec,
          materialGroup: t.materialGroup,
          wrappingAlgorithm: t.wrappingAlgorithm,
          wrappingKeySpec: t.wrappingKeySpec,
          wrappingKeyFingerprint: wrappingKeyFingerprint(decodeBase64(t.publicKey)!),
          parametersValidTo: t.parametersValidTo,
        }));
        session.keys = targets.map((t) => ({
          keyArn: t.keyArn,
          keySpec: t.keySpec,
          materialGroup: t.materialGroup,
          wrappingKeyFingerprint: t.wrappingKeyFingerprint,
          parametersValidTo: t.parametersValidTo,
        }));
        session.checkCodes['request'] = checkCode;

        const text = `${JSON.stringify(bundle, null, 2)}\n`;
        if (rawDir !== undefined) await writeRawParameters(rawDir, prepared.raw);
        try {
          await writeFileExclusive(out, text, 0o644);
        } catch (error) {
          if (rawDir !== undefined) await rm(rawDir, { recursive: true, force: true });
          throw error;
        }
        if (qr !== undefined) {
          const caption = `Import request, check code ${checkCode}: confirm it on the offline machine`;
          try {
            const frames = await writeBundleQrFrames(bundle, qr);
            qrShown = { frames, caption };
          } catch (error) {
            await rm(out, { force: true });
            if (rawDir !== undefined) await rm(rawDir, { recursive: true, force: true });
            throw error;
          }
          session.outputs['qrTransfer'] = qrShown.frames.transferSha256;
        }
        // Bundle digests link the two logs whatever the transport; file digests are kept beside them.
        session.outputs['request'] = digest;
        session.output('requestFile', text);
        prepared.raw.forEach((r) => {
          if (rawDir === undefined) return;
          session.output(`raw:${r.keyId}/PublicKey.bin`, r.publicKey);
          session.output(`raw:${r.keyId}/ImportToken.bin`, r.importToken);
        });

        for (const d of prepared.reimports) {
          deps.stderr(
            `byok-online: note: ${d.arn} is ${d.keyState} and already holds material: this is a re-import, and KMS accepts only the same material again\n`,
          );
        }
        if (globals.json) {
          deps.stdout(
            `${JSON.stringify({
              checkCode,
              digest,
              ceremonyId: bundle.ceremonyId,
              out,
              ...(rawDir === undefined ? {} : { rawDir }),
              targets,
            })}\n`,
          );
          return;
        }
        const lines = [
          `Import request for ${targets.length} key(s) written to ${relative(deps.cwd, out) || out}`,
        ];
        for (const t of targets) {
          lines.push(
            '',
            `  ${t.keyArn}`,
            `    key spec          ${t.keySpec} (material group ${t.materialGroup})`,
            `    wrapping          ${t.wrappingAlgorithm} with ${t.wrappingKeySpec}`,
            `    wrapping key      ${formatFingerprint(t.wrappingKeyFingerprint)}`,
            `    parameters valid  until ${t.parametersValidTo}`,
          );
        }
        if (rawDir !== undefined)
          lines.push('', `Raw PublicKey.bin and ImportToken.bin per key in ${rawDir}/KEY_ID/`);
        lines.push(
          '',
          `Check code of the import request (read it aloud to the offline operators): ${checkCode}`,
        );
        deps.stdout(`${lines.join('\n')}\n`);
      });
      if (qr !== undefined && qrShown !== undefined)
        await presentQrFrames(qrShown.frames, qr, qrShown.caption, deps, TOOL);
    },
  );
}
