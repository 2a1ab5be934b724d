import { relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ByokError } from '@byok-ceremony/shared';
import {
  AuditSession,
  fileOutputWriter,
  scanProgressPrinter,
  type CliDeps,
} from '@byok-ceremony/node-io';
import { scanCeremony } from '../ops/scan-ceremony.js';
import { readRequestTransfer } from '../io/read-request-transfer.js';
import { runOfflineAudited } from './audited.js';
import { parseOperators, withLogOptions } from './ceremony-options.js';
import { formatRequestSummary } from './format-summary.js';
import { TOOL } from './tool.js';

interface ScanFlags {
  readonly images: readonly string[];
  readonly camera: string | undefined;
  readonly cameraTimeoutMs: number;
  readonly out: string;
  readonly operators: readonly string[];
  readonly auditLog: string;
  readonly json: boolean;
}

const SCAN_CHECK_CODE_LINE =
  'Not yet trusted. Check code: the operators confirm it in byok-offline wrap, each typing the code the online machine (byok-online prepare) shows.';

const usage = (message: string, hint: string): ByokError =>
  new ByokError('ERR_USAGE', message, { hint });

/** `scan`: the import request from QR codes, written as a file once complete and verified. */
export function scanCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'scan [images..]',
    'Read an import request from QR codes (images, folders of stills, or a camera) and write it',
    (y) =>
      withLogOptions(
        y
          .positional('images', {
            type: 'string',
            array: true,
            describe: 'PNG or JPEG images, or folders of them (read in name order)',
          })
          .option('camera', {
            type: 'string',
            describe: 'Capture from a V4L2 camera through ffmpeg instead, e.g. /dev/video0',
          })
          .option('camera-timeout', {
            type: 'number',
            default: 300,
            describe: 'Give up on --camera (and stop ffmpeg) after this many seconds',
          })
          .option('out', {
            type: 'string',
            describe: 'Import request file to write (must not exist)',
          })
          .option('operator', {
            type: 'string',
            array: true,
            default: [] as string[],
            describe: 'An operator present (repeatable; recorded in the audit log)',
          }),
      ),
    async (argv) => {
      const images = (argv.images ?? []).filter((image) => image !== '');
      const camera = argv.camera;
      if (camera !== undefined && (typeof camera !== 'string' || camera === ''))
        throw usage('--camera needs one device', 'Give --camera once, e.g. --camera /dev/video0.');
      if (images.length > 0 && camera !== undefined)
        throw usage(
          '--camera cannot be used with image files',
          'Scan either image files and folders (scan --out request.json frames/) or a camera (scan --out request.json --camera /dev/video0).',
        );
      if (images.length === 0 && camera === undefined)
        throw usage(
          'scan needs images or --camera',
          'Name PNG/JPEG files or folders of them (scan --out request.json frames/), or --camera /dev/video0.',
        );
      const cameraTimeout = argv['camera-timeout'];
      if (!Number.isFinite(cameraTimeout) || cameraTimeout < 1 || cameraTimeout > 86_400)
        throw usage(
          '--camera-timeout must be a number of seconds from 1 to 86400',
          'Give the time the operators need to show every frame, e.g. --camera-timeout 300.',
        );
      if (typeof argv.out !== 'string' || argv.out === '')
        throw usage(
          'scan needs --out',
          'Name the import request file to write: --out request.json.',
        );
      await runScan(
        {
          images: images.map((image) => resolve(deps.cwd, image)),
          camera,
          cameraTimeoutMs: cameraTimeout * 1000,
          out: resolve(deps.cwd, argv.out),
          operators: parseOperators(argv.operator),
          auditLog: resolve(deps.cwd, argv['audit-log']),
          json: argv.json,
        },
        deps,
      );
    },
  );
}

async function runScan(flags: ScanFlags, deps: CliDeps): Promise<void> {
  const session = new AuditSession('scan', flags.operators);
  const result = await runOfflineAudited(deps, flags.auditLog, session, () =>
    scanCeremony(flags.out, {
      readTransfer: () =>
        readRequestTransfer(flags, scanProgressPrinter(deps.stderr, deps.cwd, TOOL)),
      writer: fileOutputWriter(session),
      now: deps.now,
    }),
  );
  if (flags.json) {
    deps.stdout(
      `${JSON.stringify({
        out: flags.out,
        frames: { received: result.frames, total: result.frames },
      })}\n`,
    );
    return;
  }
  const lines = [
    `Wrote ${relative(deps.cwd, flags.out) || flags.out} from ${result.frames} QR frame(s)`,
    // Whoever supplied the images chose this bundle: its code is read off the online screen.
    ...formatRequestSummary(result.summary, SCAN_CHECK_CODE_LINE),
  ];
  deps.stdout(`${lines.join('\n')}\n`);
}
