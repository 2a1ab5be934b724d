import type { QrDensity } from './density.js';
import type { QrPayloadKind } from './frame.js';
import { QrFrameSequence } from './frame-sequence.js';

/**
 * Cut a payload into QR frame texts of the density's size: the pure frames of its sequence. The
 * chunks differ by at most a byte, so every frame of an animation has the same QR version and scale.
 */
export function splitIntoFrames(
  kind: QrPayloadKind,
  payload: Uint8Array,
  density: QrDensity = 'normal',
): string[] {
  return new QrFrameSequence(kind, payload, density).pureFrames();
}
