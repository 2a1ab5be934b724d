import { sep } from 'node:path';
import { formatFrameProgress } from '../qr/format-progress.js';
import type { QrScanEvent } from '../qr/read-qr-transfer.js';

/** One stderr line per image read: its name, what it gave, and `frames 3/5, missing 2, 4`. */
export function scanProgressPrinter(
  stderr: (text: string) => void,
  cwd: string,
  tool: string,
): (event: QrScanEvent) => void {
  // Names relative to the current folder: the operator typed them so.
  const shown = (text: string): string => text.split(`${cwd}${sep}`).join('');
  return (event) => {
    const progress = formatFrameProgress(event.progress);
    if (event.message !== undefined && event.status !== 'duplicate') {
      stderr(`${tool}: warning: ${shown(event.message)} (${progress})\n`);
      return;
    }
    const what = event.status === 'duplicate' ? ' (seen before)' : '';
    stderr(`${tool}: ${shown(event.name)}${what}: ${progress}\n`);
  };
}
