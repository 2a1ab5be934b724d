// '@byok-ceremony/node-io/key-material': what both byok-offline and byok-kms-sim do with key
// material, without the rest of node-io (files, prompts, QR images) loaded.
export { generateKeyMaterial } from './generate-key-material.js';
export { aesKeyUnwrapPad, aesKeyWrapPad } from './aes-key-wrap-pad.js';
