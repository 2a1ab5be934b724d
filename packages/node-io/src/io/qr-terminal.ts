import { renderQrTerminal } from '../qr/render-terminal.js';

/** The frames to play: pure ones 1 … count, mixed ones after (a `QrFrameSequence`). */
export interface QrFrameSource {
  readonly count: number;
  frameAt(seqNum: number): string;
}

export interface PlayQrTerminalOptions {
  readonly write: (text: string) => void;
  /** Milliseconds per frame. */
  readonly intervalMs?: number;
  /** Frames to show; the reader stops it with Ctrl-C or `signal` sooner. Endless by default. */
  readonly frames?: number;
  readonly signal?: AbortSignal;
}

/** What the counter says: `frame 3/40` for a pure frame, `frame 41 (mixed, of 40)` after. */
export function terminalFrameCounter(seqNum: number, count: number): string {
  return seqNum <= count ? `frame ${seqNum}/${count}` : `frame ${seqNum} (mixed, of ${count})`;
}

/**
 * `--qr-terminal`: shows the pure frames in turn in place (cursor home, clear), then mixed ones,
 * sequence number growing, so a reader that missed frames completes from whatever it catches
 * next instead of waiting for a loop. Each comes with a frame counter and nothing else: the
 * check code is the command's own output, not the player's. A single frame is drawn once.
 */
export async function playQrTerminal(
  source: QrFrameSource,
  options: PlayQrTerminalOptions,
): Promise<void> {
  // Loaded here: only --qr-terminal needs the QR encoder.
  const { renderQrMatrix } = await import('../qr/qr-matrix.js');
  const screen = (seqNum: number): string =>
    `${renderQrTerminal(renderQrMatrix(source.frameAt(seqNum)))}${terminalFrameCounter(seqNum, source.count)}\n`;
  if (source.count === 1) {
    options.write(screen(1));
    return;
  }
  // Sequence numbers are 4 bytes: at 0.7 s a frame the player would run 95 years first.
  const frames = Math.min(options.frames ?? Number.POSITIVE_INFINITY, 0xffffffff);
  for (let seqNum = 1; seqNum <= frames; seqNum++) {
    if (options.signal?.aborted === true) return;
    options.write(`\u001b[H\u001b[2J${screen(seqNum)}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.intervalMs ?? 700);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
