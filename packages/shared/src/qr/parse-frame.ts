import { ByokError } from '../errors.js';
import { decodeBase45 } from './base45.js';
import { crc32 } from './crc32.js';
import {
  QR_FRAME_CHECKSUM_BYTES,
  QR_FRAME_HEADER_BYTES,
  QR_FRAME_MAGIC,
  QR_FRAME_VERSION,
  QR_MIXED_FRAME_HEADER_BYTES,
  QR_MIXED_FRAME_VERSION,
  QR_PAYLOAD_KIND_CODES,
  chunkBounds,
  fragmentLength,
  type QrFrame,
  type QrMixedFrame,
  type QrPayloadKind,
} from './frame.js';

/** A QR code holds at most 4,296 alphanumeric characters (version 40); a longer text is not a frame. */
export const QR_FRAME_MAX_TEXT_CHARS = 4296;
/** The largest payload a transfer may announce: the bundle-file limit. */
export const QR_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

const KIND_BY_CODE = new Map<number, QrPayloadKind>(
  Object.entries(QR_PAYLOAD_KIND_CODES).map(([kind, code]) => [code, kind as QrPayloadKind]),
);

const fail = (message: string, hint: string): never => {
  throw new ByokError('ERR_QR', message, { hint });
};

/**
 * Parse and check one QR frame text, pure (version 1) or mixed (version 2). Throws
 * ByokError('ERR_QR') saying what is wrong: not one of ours, another format version, a checksum
 * mismatch (a misread or altered frame), or a header whose index or sequence number, count,
 * length and chunk do not agree.
 */
export function parseFrame(text: string): QrFrame | QrMixedFrame {
  const notOurs =
    'this QR code is not a byok-ceremony frame: scan only the codes the other machine shows';
  if (text.length > QR_FRAME_MAX_TEXT_CHARS + 2)
    return fail(
      `QR code text of ${text.length} characters is longer than any QR code holds`,
      notOurs,
    );
  // Some decoders end the text with a newline; nothing else is forgiven.
  const bytes = decodeBase45(text.replace(/\r?\n$/, ''));
  if (bytes === undefined)
    return fail('QR code text is not a byok-ceremony frame (not Base45)', notOurs);
  if (
    bytes.length < QR_FRAME_HEADER_BYTES + QR_FRAME_CHECKSUM_BYTES ||
    bytes[0] !== QR_FRAME_MAGIC[0] ||
    bytes[1] !== QR_FRAME_MAGIC[1]
  )
    return fail('QR code is not a byok-ceremony frame (no BQ magic)', notOurs);
  const mixed = bytes[2] === QR_MIXED_FRAME_VERSION;
  if (bytes[2] !== QR_FRAME_VERSION && !mixed)
    return fail(
      `QR frame has format version ${bytes[2]!}; this tool reads versions ${QR_FRAME_VERSION} and ${QR_MIXED_FRAME_VERSION}`,
      'use the same byok-ceremony release on both machines',
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - QR_FRAME_CHECKSUM_BYTES;
  if (view.getUint32(end) !== crc32(bytes.subarray(0, end)))
    return fail(
      'QR frame checksum mismatch: the frame was misread or altered',
      'scan the frame again; it is ignored and still counted as missing',
    );
  const kind = KIND_BY_CODE.get(bytes[3]!);
  if (kind === undefined)
    return fail(
      `QR frame carries an unknown payload kind ${bytes[3]!}`,
      'use the same byok-ceremony release on both machines',
    );
  if (mixed) return mixedFrameOf(bytes, kind, notOurs);
  const index = view.getUint16(20);
  const count = view.getUint16(22);
  const payloadLength = view.getUint32(24);
  const chunk = bytes.slice(QR_FRAME_HEADER_BYTES, end);
  const header = `index ${index}, count ${count}, length ${payloadLength}, chunk ${chunk.length}`;
  if (count === 0 || index >= count || payloadLength < count)
    return fail(`QR frame header is inconsistent (${header})`, notOurs);
  if (payloadLength > QR_MAX_PAYLOAD_BYTES)
    return fail(
      `QR frame announces a payload of ${payloadLength} bytes, above the ${QR_MAX_PAYLOAD_BYTES}-byte limit`,
      notOurs,
    );
  const [start, stop] = chunkBounds(payloadLength, count, index);
  if (stop - start !== chunk.length)
    return fail(`QR frame chunk has the wrong size (${header}, expected ${stop - start})`, notOurs);
  return { form: 'pure', kind, transferId: bytes.slice(4, 20), index, count, payloadLength, chunk };
}

/** The header and fragment of a mixed frame whose magic, version, CRC and kind are checked. */
function mixedFrameOf(bytes: Uint8Array, kind: QrPayloadKind, notOurs: string): QrMixedFrame {
  if (bytes.length < QR_MIXED_FRAME_HEADER_BYTES + QR_FRAME_CHECKSUM_BYTES)
    return fail('QR mixed frame is shorter than its header', notOurs);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seqNum = view.getUint32(20);
  const count = view.getUint16(24);
  const payloadLength = view.getUint32(26);
  const fragment = bytes.slice(QR_MIXED_FRAME_HEADER_BYTES, bytes.length - QR_FRAME_CHECKSUM_BYTES);
  const header = `frame ${seqNum}, count ${count}, length ${payloadLength}, fragment ${fragment.length}`;
  // Frames 1 … count are the pure ones: a mixed frame numbered among them is not one we write.
  if (count === 0 || seqNum <= count || payloadLength < count)
    return fail(`QR mixed frame header is inconsistent (${header})`, notOurs);
  if (payloadLength > QR_MAX_PAYLOAD_BYTES)
    return fail(
      `QR frame announces a payload of ${payloadLength} bytes, above the ${QR_MAX_PAYLOAD_BYTES}-byte limit`,
      notOurs,
    );
  const expected = fragmentLength(payloadLength, count);
  if (fragment.length !== expected)
    return fail(
      `QR mixed frame fragment has the wrong size (${header}, expected ${expected})`,
      notOurs,
    );
  return {
    form: 'mixed',
    kind,
    transferId: bytes.slice(4, 20),
    seqNum,
    count,
    payloadLength,
    fragment,
  };
}
