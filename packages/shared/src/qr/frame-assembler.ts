import { sha256 } from '../digest/sha256.js';
import { encodeHex } from '../encoding/hex.js';
import { ByokError, isByokError } from '../errors.js';
import { chooseFragments } from './choose-fragments.js';
import { FountainDecoder } from './fountain-decoder.js';
import {
  QR_TRANSFER_ID_BYTES,
  chunkBounds,
  type QrFrame,
  type QrMixedFrame,
  type QrPayloadKind,
} from './frame.js';
import { parseFrame } from './parse-frame.js';

/** What `FrameAssembler.add` did with one frame text. */
export type FrameAddStatus =
  /** A frame of this transfer that gave a chunk, or a mixed frame held for peeling. */
  | 'accepted'
  /**
   * Nothing new: the same frame again (animations loop, cameras see a frame many times), a pure
   * frame whose chunk mixed frames gave already, or a mixed frame of chunks all known.
   */
  | 'duplicate'
  /** A valid frame of another transfer or of the wrong kind: rejected, never merged. */
  | 'foreign'
  /** Not a frame, checksum mismatch, or disagrees with what the frames read so far give: ignored. */
  | 'corrupt';

export interface FrameAddResult {
  readonly status: FrameAddStatus;
  /** 0-based index of a pure frame, when it could be parsed. */
  readonly index?: number;
  /** Sequence number of a mixed frame, when it could be parsed. */
  readonly seqNum?: number;
  /** Why a frame was not accepted, for the operator. */
  readonly message?: string;
}

export interface FrameProgress {
  readonly received: number;
  /** Unknown (0) until the first frame is accepted. */
  readonly total: number;
  /** 0-based indexes still missing; operators see index + 1. */
  readonly missing: readonly number[];
  readonly complete: boolean;
  /** Mixed frames kept until peeling gives their chunks. */
  readonly mixedHeld: number;
  readonly duplicates: number;
  readonly foreign: number;
  readonly corrupt: number;
}

export interface AssembledTransfer {
  readonly kind: QrPayloadKind;
  readonly payload: Uint8Array;
  /** SHA-256 of the payload, hex: its first 16 bytes are the transfer id every frame carried. */
  readonly sha256: string;
  readonly frames: number;
}

export interface FrameAssemblerOptions {
  /** Reject frames of any other kind: the offline machine reads import requests only. */
  readonly kind?: QrPayloadKind;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** What every frame of one transfer carries alike. */
type TransferHeader = Pick<QrFrame, 'kind' | 'transferId' | 'count' | 'payloadLength'>;

/** Mixed frames held for peeling, at most: twice the chunks, plus room for short transfers. */
const maxHeldMixedFrames = (count: number): number => 2 * count + 64;

/**
 * Reassembles one transfer from pure and mixed frames in any order, with repeats. The first
 * valid frame fixes the transfer; frames of any other transfer are rejected, so two bundles
 * are never mixed into one. Mixed frames are peeled (docs/qr-format.md): a reader completes
 * from about count + a few frames, whichever it caught.
 */
export class FrameAssembler {
  readonly #kind: QrPayloadKind | undefined;
  #first: TransferHeader | undefined;
  #decoder: FountainDecoder | undefined;
  #duplicates = 0;
  #foreign = 0;
  #corrupt = 0;

  constructor(options: FrameAssemblerOptions = {}) {
    this.#kind = options.kind;
  }

  add(text: string): FrameAddResult {
    let frame: QrFrame | QrMixedFrame;
    try {
      frame = parseFrame(text);
    } catch (err) {
      if (!isByokError(err)) throw err;
      this.#corrupt++;
      return { status: 'corrupt', message: err.message };
    }
    const where: Pick<FrameAddResult, 'index' | 'seqNum'> =
      frame.form === 'pure' ? { index: frame.index } : { seqNum: frame.seqNum };
    const label =
      frame.form === 'pure'
        ? `frame ${frame.index + 1}/${frame.count}`
        : `mixed frame ${frame.seqNum} (of ${frame.count})`;
    if (this.#kind !== undefined && frame.kind !== this.#kind) {
      this.#foreign++;
      return {
        status: 'foreign',
        ...where,
        message: `${label} carries a ${frame.kind} bundle, not the ${this.#kind} bundle expected here`,
      };
    }
    const first = this.#first;
    if (first === undefined) {
      this.#first = frame;
    } else if (
      !sameBytes(frame.transferId, first.transferId) ||
      frame.kind !== first.kind ||
      frame.count !== first.count ||
      frame.payloadLength !== first.payloadLength
    ) {
      this.#foreign++;
      return {
        status: 'foreign',
        ...where,
        message:
          `${label} belongs to another transfer (${encodeHex(frame.transferId).slice(0, 8)}…) ` +
          `than the one being read (${encodeHex(first.transferId).slice(0, 8)}…): rejected, not merged`,
      };
    }
    this.#decoder ??= new FountainDecoder(
      frame.payloadLength,
      frame.count,
      maxHeldMixedFrames(frame.count),
    );
    return frame.form === 'pure'
      ? this.#addPure(this.#decoder, frame, label, where)
      : this.#addMixed(this.#decoder, frame, label, where);
  }

  #addPure(
    decoder: FountainDecoder,
    frame: QrFrame,
    label: string,
    where: Pick<FrameAddResult, 'index'>,
  ): FrameAddResult {
    switch (decoder.addChunk(frame.index, frame.chunk)) {
      case 'learned':
        return { status: 'accepted', ...where };
      case 'known':
        this.#duplicates++;
        return { status: 'duplicate', ...where };
      case 'conflict':
        this.#corrupt++;
        return {
          status: 'corrupt',
          ...where,
          message: `${label} differs from the ${label} already read: ignored`,
        };
    }
  }

  #addMixed(
    decoder: FountainDecoder,
    frame: QrMixedFrame,
    label: string,
    where: Pick<FrameAddResult, 'seqNum'>,
  ): FrameAddResult {
    const before = decoder.lateConflicts;
    const outcome = decoder.add(
      chooseFragments(frame.seqNum, frame.count, frame.transferId),
      frame.fragment,
    );
    this.#corrupt += decoder.lateConflicts - before;
    switch (outcome.kind) {
      case 'learned':
      case 'held':
        return { status: 'accepted', ...where };
      case 'redundant':
        this.#duplicates++;
        return { status: 'duplicate', ...where };
      case 'conflict':
        this.#corrupt++;
        return { status: 'corrupt', ...where, message: `${label}: ${outcome.message}: ignored` };
      case 'full':
        this.#corrupt++;
        return {
          status: 'corrupt',
          ...where,
          message: `${label}: ${decoder.held} mixed frames are held already, the most one transfer may: ignored`,
        };
    }
  }

  progress(): FrameProgress {
    const total = this.#first?.count ?? 0;
    const chunks = this.#decoder?.chunks ?? new Map<number, Uint8Array>();
    const missing: number[] = [];
    for (let i = 0; i < total; i++) if (!chunks.has(i)) missing.push(i);
    return {
      received: chunks.size,
      total,
      missing,
      complete: total > 0 && missing.length === 0,
      mixedHeld: this.#decoder?.held ?? 0,
      duplicates: this.#duplicates,
      foreign: this.#foreign,
      corrupt: this.#corrupt,
    };
  }

  /** The payload once every frame is in and its SHA-256 matches the transfer id. */
  result(): AssembledTransfer {
    const first = this.#first;
    const progress = this.progress();
    if (first === undefined)
      throw new ByokError('ERR_QR', 'no byok-ceremony QR frame was read', {
        hint: 'check that the images show the QR codes of the other machine, sharp and whole',
      });
    if (!progress.complete)
      throw new ByokError(
        'ERR_QR',
        `QR transfer incomplete: frames ${progress.received}/${progress.total}, missing ${progress.missing.map((i) => i + 1).join(', ')}`,
        {
          hint: 'scan the missing frames too (step the player to them), or more of its later, mixed frames, then read again',
        },
      );
    const payload = new Uint8Array(first.payloadLength);
    for (const [index, chunk] of this.#decoder?.chunks ?? [])
      payload.set(chunk, chunkBounds(first.payloadLength, first.count, index)[0]);
    const digest = sha256(payload);
    if (!sameBytes(digest.subarray(0, QR_TRANSFER_ID_BYTES), first.transferId))
      throw new ByokError(
        'ERR_QR',
        'QR transfer digest mismatch: the reassembled bundle is not the one sent',
        {
          hint: 'scan the transfer again from the start',
        },
      );
    return { kind: first.kind, payload, sha256: encodeHex(digest), frames: first.count };
  }
}
