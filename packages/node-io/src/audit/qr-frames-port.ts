import type { Bundle } from '@byok-ceremony/shared';
import { writeBundleQrFrames, type QrFramesWritten } from '../cli/show-qr.js';
import type { QrShowFlags } from '../cli/qr-options.js';
import { assertQrFolderUsable } from '../io/qr-folder.js';
import type { PortRecorder } from './audit-session.js';

/** Where an operation writes its bundle's QR frames (`--qr DIR`, `--qr-terminal`). */
export interface QrFramesPort<B extends Bundle = Bundle> {
  /** Refuses a folder that is not new or empty, before any other step. */
  assertUsable(): Promise<void>;
  /** Writes the frames only: nothing written names the bundle's check code (the command shows it). */
  write(bundle: B): Promise<QrFramesWritten>;
}

/** The QR flags as a port, the frame files registered with the command's session for clean-up. */
export function qrFramesPort<B extends Bundle>(
  flags: QrShowFlags | undefined,
  facts: Pick<PortRecorder, 'wrote'>,
): QrFramesPort<B> | undefined {
  if (flags === undefined) return undefined;
  return {
    assertUsable: () =>
      flags.dir === undefined ? Promise.resolve() : assertQrFolderUsable(flags.dir),
    write: async (bundle) => {
      const frames = await writeBundleQrFrames(bundle, flags);
      // The folder first: a failed command removes its files, then the folder it made.
      if (frames.createdDir !== undefined) facts.wrote(frames.createdDir);
      for (const file of frames.files) facts.wrote(file);
      return frames;
    },
  };
}
