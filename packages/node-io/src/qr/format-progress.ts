import type { FrameProgress } from '@byok-ceremony/shared';

/** One line for the operator, frame numbers from 1: `frames 3/5, missing 2, 4`. */
export function formatFrameProgress(progress: FrameProgress): string {
  if (progress.total === 0) return 'frames 0/?, no frame read yet';
  const head = `frames ${progress.received}/${progress.total}`;
  if (progress.complete) return `${head}, complete`;
  const shown = progress.missing.slice(0, 20).map((i) => i + 1);
  const more =
    progress.missing.length > shown.length ? `, … (${progress.missing.length} missing)` : '';
  return `${head}, missing ${shown.join(', ')}${more}`;
}
