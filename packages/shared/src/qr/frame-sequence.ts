import { sha256 } from '../digest/sha256.js';
import { ByokError } from '../errors.js';
import { chooseFragments } from './choose-fragments.js';
import { QR_DENSITY_PROFILES, type QrDensity } from './density.js';
import {
  QR_FRAME_CHECKSUM_BYTES,
  QR_MAX_FRAMES,
  QR_MAX_SEQUENCE_NUMBER,
  QR_MIXED_FRAME_HEADER_BYTES,
  QR_TRANSFER_ID_BYTES,
  chunkBounds,
  encodeFrame,
  type QrPayloadKind,
} from './frame.js';
import { mixFragments } from './mix-fragments.js';

/**
 * The endless frame sequence of one transfer (docs/qr-format.md): frames 1 … count are the
 * pure chunks, every later one a mixed frame, so a reader that missed some frames completes
 * from about count + a few more in any order instead of waiting for a whole loop.
 */
export class QrFrameSequence {
  readonly kind: QrPayloadKind;
  /** Pure frames: one per chunk. */
  readonly count: number;
  readonly #payload: Uint8Array;
  readonly #transferId: Uint8Array;

  constructor(kind: QrPayloadKind, payload: Uint8Array, density: QrDensity = 'normal') {
    if (payload.length === 0)
      throw new ByokError('ERR_QR', 'cannot make QR frames of an empty payload');
    // Sized for the mixed header (2 bytes longer), so pure and mixed frames share a QR version.
    const maxChunk =
      QR_DENSITY_PROFILES[density].frameBytes -
      QR_MIXED_FRAME_HEADER_BYTES -
      QR_FRAME_CHECKSUM_BYTES;
    const count = Math.ceil(payload.length / maxChunk);
    if (count > QR_MAX_FRAMES)
      throw new ByokError('ERR_QR', `payload of ${payload.length} bytes needs ${count} QR frames`, {
        hint: `a transfer has at most ${QR_MAX_FRAMES} frames: use a USB medium for this bundle`,
      });
    this.kind = kind;
    this.count = count;
    this.#payload = payload;
    this.#transferId = sha256(payload).subarray(0, QR_TRANSFER_ID_BYTES);
  }

  /** The QR text of frame `seqNum`, 1-based: pure up to `count`, mixed after. */
  frameAt(seqNum: number): string {
    if (!Number.isInteger(seqNum) || seqNum < 1 || seqNum > QR_MAX_SEQUENCE_NUMBER)
      throw new RangeError(`no QR frame number ${seqNum}`);
    const common = {
      kind: this.kind,
      transferId: this.#transferId,
      count: this.count,
      payloadLength: this.#payload.length,
    };
    if (seqNum <= this.count)
      return encodeFrame({
        form: 'pure',
        ...common,
        index: seqNum - 1,
        chunk: this.#payload.subarray(...chunkBounds(this.#payload.length, this.count, seqNum - 1)),
      });
    const indexes = chooseFragments(seqNum, this.count, this.#transferId);
    return encodeFrame({
      form: 'mixed',
      ...common,
      seqNum,
      fragment: mixFragments(this.#payload, this.count, indexes),
    });
  }

  /** Frames `first` … `first + length − 1`. */
  frames(first: number, length: number): string[] {
    return Array.from({ length }, (_, i) => this.frameAt(first + i));
  }

  /** The pure frames, one per chunk: all a reader that misses none needs. */
  pureFrames(): string[] {
    return this.frames(1, this.count);
  }
}
