import { decodeHex } from '../encoding/hex.js';
import { ByokError } from '../errors.js';

/** Crockford's base32: no I, L, O or U, so nothing reads as another character aloud or on paper. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CHECK_CODE_GROUPS = 5;
const GROUP_LENGTH = 4;
/** 20 characters of 5 bits: 100 bits of the digest. */
export const CHECK_CODE_BITS = CHECK_CODE_GROUPS * GROUP_LENGTH * 5;

/** The short form of a bundle digest that two people read aloud and compare: `7K2M-Q9XD-...`. */
export function checkCodeOf(digestHex: string): string {
  const digest = decodeHex(digestHex);
  if (digest === undefined || digest.length < Math.ceil(CHECK_CODE_BITS / 8)) {
    throw new ByokError('ERR_INTERNAL', 'a check code needs a SHA-256 digest');
  }
  let bits = '';
  for (const byte of digest.subarray(0, Math.ceil(CHECK_CODE_BITS / 8)))
    bits += byte.toString(2).padStart(8, '0');
  const chars: string[] = [];
  for (let i = 0; i < CHECK_CODE_BITS; i += 5)
    chars.push(ALPHABET[parseInt(bits.slice(i, i + 5), 2)]!);
  const groups: string[] = [];
  for (let g = 0; g < CHECK_CODE_GROUPS; g++)
    groups.push(chars.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH).join(''));
  return groups.join('-');
}

/**
 * What an operator typed, in canonical form: case, spaces and dashes do not matter, and the
 * look-alikes O, I and L are read as 0, 1 and 1 as Crockford specifies. Undefined if it cannot be a code.
 */
export function normalizeCheckCode(typed: string): string | undefined {
  const compact = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (compact.length !== CHECK_CODE_GROUPS * GROUP_LENGTH) return undefined;
  for (const ch of compact) if (!ALPHABET.includes(ch)) return undefined;
  const groups: string[] = [];
  for (let g = 0; g < CHECK_CODE_GROUPS; g++)
    groups.push(compact.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH));
  return groups.join('-');
}

/** Compares in time independent of where the codes differ. */
export function checkCodesMatch(expected: string, typed: string): boolean {
  const normalized = normalizeCheckCode(typed) ?? '';
  let diff = expected.length ^ normalized.length;
  for (let i = 0; i < expected.length; i++)
    diff |= expected.charCodeAt(i) ^ normalized.charCodeAt(i % Math.max(1, normalized.length));
  return diff === 0;
}
