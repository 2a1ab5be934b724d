export * from './errors.js';
export * from './kms/rules.js';
export * from './encoding/base64.js';
export * from './encoding/hex.js';
export * from './encoding/utf8.js';
export * from './digest/sha256.js';
export * from './digest/canonical-json.js';
