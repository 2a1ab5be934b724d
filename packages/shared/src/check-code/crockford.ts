/** Crockford's base32: no I, L, O or U, so nothing reads as another character aloud or on paper. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUP_LENGTH = 4;

/** The first `groups × 4` characters (5 bits each) of `bytes`, as dash-separated groups of four. */
export function crockfordGroups(bytes: Uint8Array, groups: number): string {
  const bitCount = groups * GROUP_LENGTH * 5;
  let bits = '';
  for (const byte of bytes.subarray(0, Math.ceil(bitCount / 8)))
    bits += byte.toString(2).padStart(8, '0');
  const chars: string[] = [];
  for (let i = 0; i < bitCount; i += 5)
    chars.push(CROCKFORD_ALPHABET[parseInt(bits.slice(i, i + 5), 2)]!);
  const out: string[] = [];
  for (let g = 0; g < groups; g++)
    out.push(chars.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH).join(''));
  return out.join('-');
}

/**
 * What a person typed, in canonical form for a code of `groups` groups: case, spaces and dashes
 * do not matter, and O, I and L read as 0, 1 and 1 as Crockford specifies. Undefined otherwise.
 */
export function normalizeCrockfordGroups(typed: string, groups: number): string | undefined {
  const compact = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (compact.length !== groups * GROUP_LENGTH) return undefined;
  for (const ch of compact) if (!CROCKFORD_ALPHABET.includes(ch)) return undefined;
  const out: string[] = [];
  for (let g = 0; g < groups; g++)
    out.push(compact.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH));
  return out.join('-');
}

/** Equal strings, in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++)
    diff |= a.charCodeAt(i) ^ b.charCodeAt(i % Math.max(1, b.length));
  return diff === 0;
}
