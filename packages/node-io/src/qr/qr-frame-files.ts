import { encodeQrPng } from './qr-png.js';
import { renderQrMatrix } from './qr-matrix.js';
import { renderQrHtmlPlayer, type QrHtmlPlayerOptions } from './render-html-player.js';

export interface QrFrameFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * The files of `--qr DIR`: `frame-001.png` … (8 pixels a module, for cameras and for
 * `import --scan`), the pure frames first, then the mixed ones; and `index.html`, the player. The names carry the frame
 * number only. The io layer writes them.
 */
export function buildQrFrameFiles(
  frameTexts: readonly string[],
  player: QrHtmlPlayerOptions,
): QrFrameFile[] {
  const digits = Math.max(3, String(frameTexts.length).length);
  // Each symbol is rendered once, for its PNG and for the player's inline image.
  const matrices = frameTexts.map(renderQrMatrix);
  return [
    ...matrices.map((matrix, i) => ({
      name: `frame-${String(i + 1).padStart(digits, '0')}.png`,
      bytes: encodeQrPng(matrix, { scale: 8, margin: 4 }),
    })),
    {
      name: 'index.html',
      bytes: Buffer.from(renderQrHtmlPlayer(frameTexts, player, matrices), 'utf8'),
    },
  ];
}
