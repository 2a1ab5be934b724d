/**
 * Base45 (RFC 9285): two bytes in three characters of the QR alphanumeric set, which QR
 * stores at 5.5 bits a character, so a byte costs 8.25 bits against 8 in byte mode, and the
 * text survives every decoder's charset guessing, which raw bytes in byte mode do not.
 */
export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUE = new Map<string, number>(Array.from(BASE45_ALPHABET, (ch, i) => [ch, i] as const));

export function encodeBase45(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const n = bytes[i]! * 256 + bytes[i + 1]!;
    out += BASE45_ALPHABET[n % 45]! + BASE45_ALPHABET[Math.floor(n / 45) % 45]!;
    out += BASE45_ALPHABET[Math.floor(n / 2025)]!;
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1]!;
    out += BASE45_ALPHABET[n % 45]! + BASE45_ALPHABET[Math.floor(n / 45)]!;
  }
  return out;
}

/** Strict decoding: undefined for a character outside the set, a bad length or an overflow. */
export function decodeBase45(text: string): Uint8Array | undefined {
  if (text.length % 3 === 1) return undefined;
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    const c = VALUE.get(text.charAt(i));
    const d = VALUE.get(text.charAt(i + 1));
    if (c === undefined || d === undefined) return undefined;
    if (i + 2 < text.length) {
      const e = VALUE.get(text.charAt(i + 2));
      if (e === undefined) return undefined;
      const n = c + d * 45 + e * 2025;
      if (n > 0xffff) return undefined;
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      const n = c + d * 45;
      if (n > 0xff) return undefined;
      out[o++] = n;
    }
  }
  return out;
}
