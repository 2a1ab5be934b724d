import {
  ByokError,
  FrameAssembler,
  isByokError,
  type AssembledTransfer,
  type FrameAddStatus,
  type FrameProgress,
  type QrPayloadKind,
} from '@byok-ceremony/shared';
import { readQrImage, type ReadQrImageOptions } from './read-qr-image.js';

export interface QrImageSource {
  readonly name: string;
  read(): Uint8Array | Promise<Uint8Array>;
}

export interface QrScanEvent {
  readonly name: string;
  /** A frame status, or what kept the image from giving one. */
  readonly status: FrameAddStatus | 'no-qr' | 'unreadable';
  readonly message?: string;
  readonly progress: FrameProgress;
}

export interface ReadQrTransferOptions extends ReadQrImageOptions {
  /** The bundle kind expected; frames of the other kind are rejected. */
  readonly kind?: QrPayloadKind;
  /** Called after every image, e.g. to print `frames 3/5, missing 2, 4`. */
  readonly onImage?: (event: QrScanEvent) => void;
}

/**
 * Read the frames of one transfer from images (stills, or a video split into frames) until
 * it is complete, and return the verified payload. Images without a code and unreadable
 * files are reported and skipped; the error at the end says what is missing and why.
 */
export async function readQrTransfer(
  sources: Iterable<QrImageSource> | AsyncIterable<QrImageSource>,
  options: ReadQrTransferOptions = {},
): Promise<AssembledTransfer> {
  const assembler = new FrameAssembler(options.kind === undefined ? {} : { kind: options.kind });
  const problems: string[] = [];
  for await (const source of sources) {
    let status: QrScanEvent['status'];
    let message: string | undefined;
    try {
      const found = await readQrImage(await source.read(), source.name, options);
      if (found === undefined) {
        status = 'no-qr';
        message = `${source.name}: no QR code found`;
      } else {
        const added = assembler.add(found.text);
        status = added.status;
        if (added.message !== undefined) message = `${source.name}: ${added.message}`;
      }
    } catch (err) {
      if (!isByokError(err)) throw err;
      status = 'unreadable';
      message = err.message;
    }
    if (message !== undefined && status !== 'duplicate') problems.push(message);
    const progress = assembler.progress();
    options.onImage?.(
      message === undefined
        ? { name: source.name, status, progress }
        : { name: source.name, status, message, progress },
    );
    if (progress.complete) break;
  }
  try {
    return assembler.result();
  } catch (err) {
    if (!isByokError(err) || problems.length === 0) throw err;
    throw new ByokError(
      'ERR_QR',
      `${err.message}; ${problems.length} image(s) gave no frame: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`,
      {
        ...(err.hint === undefined ? {} : { hint: err.hint }),
        details: problems,
      },
    );
  }
}
