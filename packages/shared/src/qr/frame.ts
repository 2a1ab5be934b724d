import { encodeBase45 } from './base45.js';
import { crc32 } from './crc32.js';

/** What a transfer carries; the reader checks it is the bundle it expects. */
export type QrPayloadKind = 'import-request' | 'wrapped-keys';

export const QR_PAYLOAD_KIND_CODES: Readonly<Record<QrPayloadKind, number>> = {
  'import-request': 1,
  'wrapped-keys': 2,
};

/** "BQ": byok QR. */
export const QR_FRAME_MAGIC = Uint8Array.of(0x42, 0x51);
export const QR_FRAME_VERSION = 1;
/** The version byte of a mixed frame: its layout differs from a pure one (a 4-byte sequence number). */
export const QR_MIXED_FRAME_VERSION = 2;
export const QR_TRANSFER_ID_BYTES = 16;
/** magic 2, version 1, kind 1, transfer id 16, index 2, count 2, payload length 4. */
export const QR_FRAME_HEADER_BYTES = 28;
/** magic 2, version 1, kind 1, transfer id 16, sequence number 4, count 2, payload length 4. */
export const QR_MIXED_FRAME_HEADER_BYTES = 30;
export const QR_FRAME_CHECKSUM_BYTES = 4;
export const QR_MAX_FRAMES = 0xffff;
/** Sequence numbers are 4 bytes: a player showing 10 frames a second runs 13 years before it wraps. */
export const QR_MAX_SEQUENCE_NUMBER = 0xffffffff;

/** One pure frame of a multi-part transfer, as parsed (docs/qr-format.md): one chunk. */
export interface QrFrame {
  readonly form: 'pure';
  readonly kind: QrPayloadKind;
  /** First 16 bytes of SHA-256 of the whole payload: names the transfer. */
  readonly transferId: Uint8Array;
  /** 0-based; operators see index + 1. */
  readonly index: number;
  readonly count: number;
  readonly payloadLength: number;
  readonly chunk: Uint8Array;
}

/**
 * A mixed frame: frame `seqNum` (> count) of the endless sequence, the XOR of the chunks
 * `chooseFragments` names for it, each padded with zero bytes to the fragment length.
 */
export interface QrMixedFrame {
  readonly form: 'mixed';
  readonly kind: QrPayloadKind;
  readonly transferId: Uint8Array;
  /** 1-based position in the sequence the player shows; pure frame i is seqNum i + 1. */
  readonly seqNum: number;
  readonly count: number;
  readonly payloadLength: number;
  /** `fragmentLength(payloadLength, count)` bytes. */
  readonly fragment: Uint8Array;
}

/** Serialise a frame to its QR text: Base45 of header, chunk and CRC-32. */
export function encodeFrame(frame: QrFrame | QrMixedFrame): string {
  if (frame.form === 'mixed') return encodeMixedFrame(frame);
  const bytes = new Uint8Array(
    QR_FRAME_HEADER_BYTES + frame.chunk.length + QR_FRAME_CHECKSUM_BYTES,
  );
  const view = new DataView(bytes.buffer);
  bytes.set(QR_FRAME_MAGIC, 0);
  bytes[2] = QR_FRAME_VERSION;
  bytes[3] = QR_PAYLOAD_KIND_CODES[frame.kind];
  bytes.set(frame.transferId.subarray(0, QR_TRANSFER_ID_BYTES), 4);
  view.setUint16(20, frame.index);
  view.setUint16(22, frame.count);
  view.setUint32(24, frame.payloadLength);
  bytes.set(frame.chunk, QR_FRAME_HEADER_BYTES);
  const end = bytes.length - QR_FRAME_CHECKSUM_BYTES;
  view.setUint32(end, crc32(bytes.subarray(0, end)));
  return encodeBase45(bytes);
}

/**
 * Where chunk `index` lies in the payload: `count` chunks whose sizes differ by at most one
 * byte, the longer ones first, none empty (count <= payloadLength).
 */
export function chunkBounds(payloadLength: number, count: number, index: number): [number, number] {
  const base = Math.floor(payloadLength / count);
  const longer = payloadLength % count;
  const start = index * base + Math.min(index, longer);
  return [start, start + base + (index < longer ? 1 : 0)];
}

/** Bytes of every mixed fragment: the longest chunk. */
export function fragmentLength(payloadLength: number, count: number): number {
  return Math.ceil(payloadLength / count);
}

function encodeMixedFrame(frame: QrMixedFrame): string {
  const bytes = new Uint8Array(
    QR_MIXED_FRAME_HEADER_BYTES + frame.fragment.length + QR_FRAME_CHECKSUM_BYTES,
  );
  const view = new DataView(bytes.buffer);
  bytes.set(QR_FRAME_MAGIC, 0);
  bytes[2] = QR_MIXED_FRAME_VERSION;
  bytes[3] = QR_PAYLOAD_KIND_CODES[frame.kind];
  bytes.set(frame.transferId.subarray(0, QR_TRANSFER_ID_BYTES), 4);
  view.setUint32(20, frame.seqNum);
  view.setUint16(24, frame.count);
  view.setUint32(26, frame.payloadLength);
  bytes.set(frame.fragment, QR_MIXED_FRAME_HEADER_BYTES);
  const end = bytes.length - QR_FRAME_CHECKSUM_BYTES;
  view.setUint32(end, crc32(bytes.subarray(0, end)));
  return encodeBase45(bytes);
}
