import { encodeUtf8 } from '../encoding/utf8.js';

/**
 * The message both sides MAC to prove an HMAC key holds the ceremony's material: bound to the
 * request and the material group so a MAC from another ceremony cannot be replayed as proof.
 */
export function proofMessage(requestDigest: string, materialGroup: string): Uint8Array {
  return encodeUtf8(`byok-ceremony material proof v1\n${requestDigest}\n${materialGroup}\n`);
}
