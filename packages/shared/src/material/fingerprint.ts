import { sha256 } from '../digest/sha256.js';
import { encodeHex } from '../encoding/hex.js';

/** SHA-256 of the DER SubjectPublicKeyInfo, hex: names one wrapping key across both machines. */
export function wrappingKeyFingerprint(spkiDer: Uint8Array): string {
  return encodeHex(sha256(spkiDer));
}

/** The form printed for people: `SHA256:` and the hex in groups of four. */
export function formatFingerprint(fingerprintHex: string): string {
  return `SHA256:${fingerprintHex.match(/.{1,4}/g)?.join(' ') ?? ''}`;
}
