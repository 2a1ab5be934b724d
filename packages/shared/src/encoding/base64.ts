const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Character code → 6-bit value, 255 for anything outside the alphabet (a table: this runs per byte). */
const DECODE = new Uint8Array(128).fill(255);
for (let i = 0; i < 64; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const PAD = 0x3d;

export function encodeBase64(bytes: Uint8Array): string {
  const chunks: string[] = [];
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
    // Flat strings in pieces: one long rope of small concatenations is slow to read later.
    if (out.length >= 4096) {
      chunks.push(out);
      out = '';
    }
  }
  chunks.push(out);
  return chunks.join('');
}

/** Length of the base64 text of `byteLength` bytes, padding included. */
export function base64Length(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}

/**
 * Writes the base64 of `bytes` as ASCII into `out` at `offset` (the same text as encodeBase64)
 * and returns the offset after it: for secret bytes, whose base64 must not become a string
 * that cannot be zeroed.
 */
export function encodeBase64Into(bytes: Uint8Array, out: Uint8Array, offset: number): number {
  let at = offset;
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out[at++] = ALPHABET.charCodeAt((n >> 18) & 63);
    out[at++] = ALPHABET.charCodeAt((n >> 12) & 63);
    out[at++] = i + 1 < bytes.length ? ALPHABET.charCodeAt((n >> 6) & 63) : PAD;
    out[at++] = i + 2 < bytes.length ? ALPHABET.charCodeAt(n & 63) : PAD;
  }
  return at;
}

function sextet(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? DECODE[code]! : 255;
}

/**
 * Strict RFC 4648 base64: padded, no whitespace, no URL alphabet, zero trailing bits.
 * Returns undefined instead of guessing, so a corrupted field is reported, not repaired.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding =
    text.length === 0 || text.charCodeAt(text.length - 1) !== PAD
      ? 0
      : text.charCodeAt(text.length - 2) === PAD
        ? 2
        : 1;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  const full = text.length - (padding > 0 ? 4 : 0);
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    if ((a | b | c | d) > 63) return undefined;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = (n >> 16) & 255;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (padding > 0) {
    const a = sextet(text, full);
    const b = sextet(text, full + 1);
    const c = padding === 1 ? sextet(text, full + 2) : 0;
    if ((a | b | c) > 63) return undefined;
    const n = (a << 18) | (b << 12) | (c << 6);
    // Zero trailing bits: otherwise two texts would decode to the same bytes.
    if ((n & (padding === 2 ? 0xffff : 0xff)) !== 0) return undefined;
    out[o++] = (n >> 16) & 255;
    if (padding === 1) out[o] = (n >> 8) & 255;
  }
  return out;
}
