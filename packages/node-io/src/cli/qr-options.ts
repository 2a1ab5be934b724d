import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ByokError, QR_DENSITIES, parseQrDensity, type QrDensity } from '@byok-ceremony/shared';

/** Where the bundle a command writes is also shown as QR codes: a folder of frames, the terminal. */
export interface QrShowFlags {
  /** Absolute path of `--qr DIR`. */
  readonly dir: string | undefined;
  readonly terminal: boolean;
  readonly density: QrDensity;
}

/** `--qr DIR`, `--qr-terminal`, `--qr-density`; the default density depends on the direction. */
export function withQrShowOptions<T>(cli: Argv<T>, defaultDensity: QrDensity) {
  return cli
    .option('qr', {
      type: 'string',
      describe:
        'Also write the bundle as QR frames (frame-001.png, ...) and index.html, a player that opens from file://, into this new or empty folder',
    })
    .option('qr-terminal', {
      type: 'boolean',
      describe: 'Also show the QR frames in the terminal, in turn, on stderr (Ctrl-C stops)',
    })
    .option('qr-density', {
      type: 'string',
      describe: `QR frame size: ${QR_DENSITIES.join(', ')} (default ${defaultDensity})`,
    });
}

const usage = (message: string, hint: string): ByokError =>
  new ByokError('ERR_USAGE', message, { hint });

/** The QR flags, validated before any file is opened; undefined when no QR output is asked for. */
export function qrShowFlagsOf(
  args: Readonly<Record<string, unknown>>,
  cwd: string,
  defaultDensity: QrDensity,
): QrShowFlags | undefined {
  const dir = args['qr'];
  const density = args['qr-density'];
  const terminal = args['qr-terminal'] === true;
  if (dir !== undefined && (typeof dir !== 'string' || dir === ''))
    throw usage(
      '--qr needs one folder',
      'Give --qr once, with a new or empty folder: --qr frames/.',
    );
  if (density !== undefined && typeof density !== 'string')
    throw usage('--qr-density needs one value', `Give one of ${QR_DENSITIES.join(', ')}.`);
  if (dir === undefined && !terminal) {
    if (density !== undefined)
      throw usage(
        '--qr-density needs --qr DIR or --qr-terminal',
        'Add --qr DIR (frames and a player page) or --qr-terminal, or drop --qr-density.',
      );
    return undefined;
  }
  return {
    dir: dir === undefined ? undefined : resolve(cwd, dir),
    terminal,
    density: density === undefined ? defaultDensity : parseQrDensity(density),
  };
}
