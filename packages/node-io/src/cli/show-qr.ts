import { join } from 'node:path';
import { createHash } from 'node:crypto';
import {
  bundleToQrFrameSequence,
  encodeCompactBundle,
  qrKindOfBundle,
  type Bundle,
  type QrDensity,
  type QrFrameSequence,
} from '@byok-ceremony/shared';
import { playQrTerminal } from '../io/qr-terminal.js';
import { writeQrFrameDirectory } from '../io/qr-write.js';
import type { CliDeps } from './deps.js';
import type { QrShowFlags } from './qr-options.js';

export interface QrFramesWritten {
  /** The endless sequence: pure frames, then mixed ones, for the terminal player. */
  readonly sequence: QrFrameSequence;
  /** The frames of `--qr DIR` and its page: the pure ones, then as many mixed ones. */
  readonly frameTexts: readonly string[];
  /** SHA-256 of the QR payload: its first 32 hex digits are the transfer id in every frame. */
  readonly transferSha256: string;
  /** Absolute paths of the files written to --qr DIR (none without it). */
  readonly files: readonly string[];
  /** The first folder `--qr DIR` made, when DIR did not exist: a failed command removes it. */
  readonly createdDir?: string;
}

/**
 * Mixed frames after the pure ones in `--qr DIR` and its page: as many as there are pure frames,
 * so a reader that misses a quarter of them still completes within one pass (docs/qr-format.md).
 * A one-frame transfer has nothing to mix.
 */
export const mixedFramesWritten = (count: number): number => (count > 1 ? count : 0);

/**
 * The bundle as QR frames, written to `--qr DIR` when given; playing them comes later. Nothing
 * written names the bundle's check code or digest: the command that wrote it shows the code.
 */
export async function writeBundleQrFrames(
  bundle: Bundle,
  flags: QrShowFlags,
): Promise<QrFramesWritten> {
  const sequence = bundleToQrFrameSequence(bundle, flags.density);
  const frameTexts = sequence.frames(1, sequence.count + mixedFramesWritten(sequence.count));
  const transferSha256 = createHash('sha256').update(encodeCompactBundle(bundle)).digest('hex');
  if (flags.dir === undefined) return { sequence, frameTexts, transferSha256, files: [] };
  const dir = flags.dir;
  const { names, created } = await writeQrFrameDirectory(dir, frameTexts, {
    kind: qrKindOfBundle(bundle),
    pureFrames: sequence.count,
  });
  return {
    sequence,
    frameTexts,
    transferSha256,
    files: names.map((name) => join(dir, name)),
    ...(created === undefined ? {} : { createdDir: created }),
  };
}

/** How many frames at a density, and where they are, for the operator. */
export function describeQrFrames(frames: QrFramesWritten, flags: QrShowFlags): string {
  const { count: pure } = frames.sequence;
  const mixed = frames.frameTexts.length - pure;
  const count = `${pure} QR frame(s) at density ${flags.density}`;
  if (flags.dir === undefined) return count;
  const then = mixed > 0 ? `, then ${mixed} mixed ones` : '';
  return `${count} in ${flags.dir}${then} (open index.html to play them)`;
}

/**
 * `--qr-terminal`: on a terminal the pure frames, then mixed ones without end until Ctrl-C,
 * which ends the command normally; otherwise each pure frame is drawn once, so scripts end. The
 * frames come with a counter only; `afterPlayback` (the command's reminder of its check code) is
 * printed once they stop.
 */
export async function playQrFramesOnTerminal(
  sequence: QrFrameSequence,
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
      `${tool}: showing ${sequence.count} QR frame(s), then mixed ones (density ${density}); Ctrl-C stops\n`,
    );
  }
  try {
    await playQrTerminal(sequence, {
      write: deps.stderr,
      frames: deps.interactive ? Number.POSITIVE_INFINITY : sequence.count,
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
    await playQrFramesOnTerminal(frames.sequence, afterPlayback, deps, flags.density, tool);
}
