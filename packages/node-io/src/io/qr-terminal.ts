import { renderQrMatrix, renderQrTerminal } from '@byok-ceremony/shared';

export interface PlayQrTerminalOptions {
  readonly write: (text: string) => void;
  /** Milliseconds per frame. */
  readonly intervalMs?: number;
  /** Times round the loop; the reader stops it with Ctrl-C or `signal` sooner. */
  readonly loops?: number;
  readonly signal?: AbortSignal;
  /** A line under each code, e.g. the check code the reader must confirm. */
  readonly caption?: string;
}

/**
 * `--qr-terminal`: shows the frames in turn in place (cursor home, clear), with a counter.
 * A single frame is drawn once and not cycled.
 */
export async function playQrTerminal(
  frameTexts: readonly string[],
  options: PlayQrTerminalOptions,
): Promise<void> {
  const screens = frameTexts.map(
    (text, i) =>
      `${renderQrTerminal(renderQrMatrix(text))}frame ${i + 1}/${frameTexts.length}` +
      (options.caption === undefined ? '' : `  ${options.caption}`) +
      '\n',
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
