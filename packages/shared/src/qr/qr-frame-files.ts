import { encodeUtf8 } from '../encoding/utf8.js';
import { encodeQrPng } from './encode-png.js';
import { renderQrMatrix } from './qr-matrix.js';
import { renderQrHtmlPlayer, type QrHtmlPlayerOptions } from './render-html-player.js';

export interface QrFrameFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * The files of `--qr DIR`: `frame-001.png` … (8 pixels a module, for cameras and for
 * `import --scan`), and `index.html`, the player that loops them. The io layer writes them.
 */
export function buildQrFrameFiles(
  frameTexts: readonly string[],
  player: QrHtmlPlayerOptions,
): QrFrameFile[] {
  const digits = Math.max(3, String(frameTexts.length).length);
  return [
    ...frameTexts.map((text, i) => ({
      name: `frame-${String(i + 1).padStart(digits, '0')}.png`,
      bytes: encodeQrPng(renderQrMatrix(text), { scale: 8, margin: 4 }),
    })),
    { name: 'index.html', bytes: encodeUtf8(renderQrHtmlPlayer(frameTexts, player)) },
  ];
}
