// The QR transfer format: frames, their reassembly, bundles in compact form. Images are node-io's.
export { BASE45_ALPHABET, decodeBase45, encodeBase45 } from './base45.js';
export {
  DEFAULT_QR_DENSITY,
  QR_DENSITIES,
  QR_DENSITY_PROFILES,
  parseQrDensity,
  type QrDensity,
} from './density.js';
export type { QrPayloadKind } from './frame.js';
export { splitIntoFrames } from './split-into-frames.js';
export { QrFrameSequence } from './frame-sequence.js';
export {
  FrameAssembler,
  type AssembledTransfer,
  type FrameAddStatus,
  type FrameProgress,
} from './frame-assembler.js';
export { encodeCompactBundle, qrKindOfBundle } from './compact-bundle.js';
export {
  bundleFromQrTransfer,
  bundleToQrFrameSequence,
  bundleToQrFrames,
} from './bundle-frames.js';
