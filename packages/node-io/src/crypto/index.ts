// '@byok-ceremony/node-io/key-material': the node:crypto work of byok-offline, byok-online and
// byok-kms-sim (key material, bundle digests), without the rest of node-io (files, prompts, QR
// images) loaded.
export { generateKeyMaterial } from './generate-key-material.js';
export { aesKeyUnwrapPad, aesKeyWrapPad } from './aes-key-wrap-pad.js';
export {
  nodeAuditEntryHash,
  nodeBundleDigest,
  nodeWrappingKeyFingerprint,
} from './bundle-digest.js';
