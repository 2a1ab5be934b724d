import type { QrMatrix } from './qr-matrix.js';

export interface QrTerminalOptions {
  /** Quiet zone in modules; terminals are forgiving, 2 is enough. */
  readonly margin?: number;
  /** Force white-on-black colours so the code reads on light and dark themes alike. */
  readonly ansi?: boolean;
}

/**
 * A QR symbol as text, two module rows per line with half blocks (▀ ▄ █), light modules
 * drawn and dark ones left as the black background.
 */
export function renderQrTerminal(matrix: QrMatrix, options: QrTerminalOptions = {}): string {
  const margin = options.margin ?? 2;
  const ansi = options.ansi ?? true;
  const side = matrix.size + 2 * margin;
  const light = (x: number, y: number): boolean => {
    const mx = x - margin;
    const my = y - margin;
    if (mx < 0 || my < 0 || mx >= matrix.size || my >= matrix.size) return true;
    return matrix.modules[my * matrix.size + mx] !== 1;
  };
  const lines: string[] = [];
  for (let y = 0; y < side; y += 2) {
    let line = '';
    for (let x = 0; x < side; x++) {
      const top = light(x, y);
      const bottom = y + 1 < side ? light(x, y + 1) : false;
      line += top ? (bottom ? '█' : '▀') : bottom ? '▄' : ' ';
    }
    lines.push(ansi ? `\u001b[97;40m${line}\u001b[0m` : line);
  }
  return lines.join('\n') + '\n';
}
