import { sha256 } from '../digest/sha256.js';
import { ByokError } from '../errors.js';
import { QR_DENSITY_PROFILES, type QrDensity } from './density.js';
import {
  QR_FRAME_CHECKSUM_BYTES,
  QR_FRAME_HEADER_BYTES,
  QR_MAX_FRAMES,
  QR_TRANSFER_ID_BYTES,
  chunkBounds,
  encodeFrame,
  type QrPayloadKind,
} from './frame.js';

/**
 * Cut a payload into QR frame texts of the density's size. The chunks differ by at most a byte, so every frame of an animation has the same QR version and scale.
 */
export function splitIntoFrames(
  kind: QrPayloadKind,
  payload: Uint8Array,
  density: QrDensity = 'normal',
): string[] {
  if (payload.length === 0)
    throw new ByokError('ERR_QR', 'cannot make QR frames of an empty payload');
  const maxChunk =
    QR_DENSITY_PROFILES[density].frameBytes - QR_FRAME_HEADER_BYTES - QR_FRAME_CHECKSUM_BYTES;
  const count = Math.ceil(payload.length / maxChunk);
  if (count > QR_MAX_FRAMES)
    throw new ByokError('ERR_QR', `payload of ${payload.length} bytes needs ${count} QR frames`, {
      hint: `a transfer has at most ${QR_MAX_FRAMES} frames: use a USB medium for this bundle`,
    });
  const transferId = sha256(payload).subarray(0, QR_TRANSFER_ID_BYTES);
  return Array.from({ length: count }, (_, index) =>
    encodeFrame({
      kind,
      transferId,
      index,
      count,
      payloadLength: payload.length,
      chunk: payload.subarray(...chunkBounds(payload.length, count, index)),
    }),
  );
}
