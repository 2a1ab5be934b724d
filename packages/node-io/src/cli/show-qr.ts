import { join } from 'node:path';
import { createHash } from 'node:crypto';
import {
  bundleToQrFrames,
  encodeCompactBundle,
  qrKindOfBundle,
  type Bundle,
  type QrDensity,
} from '@byok-ceremony/shared';
import { playQrTerminal } from '../io/qr-terminal.js';
import { writeQrFrameDirectory } from '../io/qr-write.js';
import type { CliDeps } from './deps.js';
import type { QrShowFlags } from './qr-options.js';

export interface QrFramesWritten {
  readonly frameTexts: readonly string[];
  /** SHA-256 of the QR payload: its first 32 hex digits are the transfer id in every frame. */
  readonly transferSha256: string;
  /** Absolute paths of the files written to --qr DIR (none without it). */
  readonly files: readonly string[];
  /** The first folder `--qr DIR` made, when DIR did not exist: a failed command removes it. */
  readonly createdDir?: string;
}

/**
 * The bundle as QR frames, written to `--qr DIR` when given; playing them comes later. Nothing
 * written names the bundle's check code or digest: the command that wrote it shows the code.
 */
export async function writeBundleQrFrames(
  bundle: Bundle,
  flags: QrShowFlags,
): Promise<QrFramesWritten> {
  const frameTexts = bundleToQrFrames(bundle, flags.density);
  const transferSha256 = createHash('sha256').update(encodeCompactBundle(bundle)).digest('hex');
  if (flags.dir === undefined) return { frameTexts, transferSha256, files: [] };
  const dir = flags.dir;
  const { names, created } = await writeQrFrameDirectory(dir, frameTexts, {
    kind: qrKindOfBundle(bundle),
  });
  return {
    frameTexts,
    transferSha256,
    files: names.map((name) => join(dir, name)),
    ...(created === undefined ? {} : { createdDir: created }),
  };
}

/** How many frames at a density, and where they are, for the operator. */
export function describeQrFrames(frames: QrFramesWritten, flags: QrShowFlags): string {
  const count = `${frames.frameTexts.length} QR frame(s) at density ${flags.density}`;
  return flags.dir === undefined
    ? count
    : `${count} in ${flags.dir} (open index.html to play them)`;
}

/**
 * `--qr-terminal`: on a terminal the frames loop until Ctrl-C, which ends the command normally;
 * otherwise each is drawn once, so scripts end. The frames come with a counter only;
 * `afterPlayback` (the command's reminder of its check code) is printed once they stop.
 */
export async function playQrFramesOnTerminal(
  frameTexts: readonly string[],
  afterPlayback: string,
  deps: CliDeps,
  density: QrDensity,
  tool: string,
): Promise<void> {
  const controller = new AbortController();
  const stop = (): void => {
    controller.abort();
  };
  if (deps.interactive) {
    process.on('SIGINT', stop);
    deps.stderr(
      `${tool}: showing ${frameTexts.length} QR frame(s) (density ${density}); Ctrl-C stops\n`,
    );
  }
  try {
    await playQrTerminal(frameTexts, {
      write: deps.stderr,
      loops: deps.interactive ? Number.POSITIVE_INFINITY : 1,
      signal: controller.signal,
    });
  } finally {
    if (deps.interactive) process.off('SIGINT', stop);
  }
  deps.stderr(`${tool}: ${afterPlayback}\n`);
}

/**
 * After the command's result: say where the frames are, then play them if asked, and after
 * playback print `afterPlayback` again, since the playback cleared the screen it was on.
 */
export async function presentQrFrames(
  frames: QrFramesWritten,
  flags: QrShowFlags,
  afterPlayback: string,
  deps: CliDeps,
  tool: string,
): Promise<void> {
  deps.stderr(`${tool}: ${describeQrFrames(frames, flags)}\n`);
  if (flags.terminal)
    await playQrFramesOnTerminal(frames.frameTexts, afterPlayback, deps, flags.density, tool);
}
