import type { Bundle, ImportRequestBundle, WrappedKeyBundle } from '../bundle/types.js';
import { ByokError } from '../errors.js';
import { decodeCompactBundle, encodeCompactBundle, qrKindOfBundle } from './compact-bundle.js';
import type { QrDensity } from './density.js';
import type { AssembledTransfer } from './frame-assembler.js';
import { QrFrameSequence } from './frame-sequence.js';
import { splitIntoFrames } from './split-into-frames.js';

/** The QR frame texts of a bundle: compact encoding, then frames of the density's size. */
export function bundleToQrFrames(bundle: Bundle, density: QrDensity = 'normal'): string[] {
  return splitIntoFrames(qrKindOfBundle(bundle), encodeCompactBundle(bundle), density);
}

/** The endless frame sequence of a bundle: its pure frames, then mixed ones (docs/qr-format.md). */
export function bundleToQrFrameSequence(
  bundle: Bundle,
  density: QrDensity = 'normal',
): QrFrameSequence {
  return new QrFrameSequence(qrKindOfBundle(bundle), encodeCompactBundle(bundle), density);
}

/**
 * The bundle a completed transfer carries, of the expected kind, validated. The caller still
 * shows its check code for the operators to confirm: a QR code proves nothing about its sender.
 */
export function bundleFromQrTransfer(
  transfer: AssembledTransfer,
  kind: 'import-request',
): ImportRequestBundle;
export function bundleFromQrTransfer(
  transfer: AssembledTransfer,
  kind: 'wrapped-keys',
): WrappedKeyBundle;
export function bundleFromQrTransfer(
  transfer: AssembledTransfer,
  kind: 'import-request' | 'wrapped-keys',
): Bundle {
  if (transfer.kind !== kind)
    throw new ByokError(
      'ERR_QR',
      `the QR codes carry a ${transfer.kind} bundle, not a ${kind} bundle`,
      {
        hint:
          kind === 'import-request'
            ? 'scan the codes byok-online prepare shows'
            : 'scan the codes byok-offline wrap shows',
      },
    );
  return decodeCompactBundle(transfer.payload, kind);
}
