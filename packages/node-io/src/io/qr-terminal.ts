import { renderQrTerminal } from '../qr/render-terminal.js';

export interface PlayQrTerminalOptions {
  readonly write: (text: string) => void;
  /** Milliseconds per frame. */
  readonly intervalMs?: number;
  /** Times round the loop; the reader stops it with Ctrl-C or `signal` sooner. */
  readonly loops?: number;
  readonly signal?: AbortSignal;
}

/**
 * `--qr-terminal`: shows the frames in turn in place (cursor home, clear), each with a frame
 * counter and nothing else: the check code is the command's own output, not the player's.
 * A single frame is drawn once and not cycled.
 */
export async function playQrTerminal(
  frameTexts: readonly string[],
  options: PlayQrTerminalOptions,
): Promise<void> {
  // Loaded here: only --qr-terminal needs the QR encoder.
  const { renderQrMatrix } = await import('../qr/qr-matrix.js');
  const screens = frameTexts.map(
    (text, i) => `${renderQrTerminal(renderQrMatrix(text))}frame ${i + 1}/${frameTexts.length}\n`,
  );
  if (screens.length === 1) {
    options.write(screens[0]!);
    return;
  }
  const loops = options.loops ?? 20;
  for (let loop = 0; loop < loops; loop++)
    for (const screen of screens) {
      if (options.signal?.aborted === true) return;
      options.write(`\u001b[H\u001b[2J${screen}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs ?? 700);
        options.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
}
