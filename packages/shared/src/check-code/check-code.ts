import { decodeHex } from '../encoding/hex.js';
import { ByokError } from '../errors.js';
import { constantTimeEqual, crockfordGroups, normalizeCrockfordGroups } from './crockford.js';

export const CHECK_CODE_GROUPS = 5;
/** 20 characters of 5 bits: 100 bits of the digest. */
export const CHECK_CODE_BITS = CHECK_CODE_GROUPS * 4 * 5;

/** The short form of a bundle digest that two people read aloud and compare: `7K2M-Q9XD-...`. */
export function checkCodeOf(digestHex: string): string {
  const digest = decodeHex(digestHex);
  if (digest === undefined || digest.length < Math.ceil(CHECK_CODE_BITS / 8)) {
    throw new ByokError('ERR_INTERNAL', 'a check code needs a SHA-256 digest');
  }
  return crockfordGroups(digest, CHECK_CODE_GROUPS);
}

/**
 * What an operator typed, in canonical form: case, spaces and dashes do not matter, and the
 * look-alikes O, I and L are read as 0, 1 and 1 as Crockford specifies. Undefined if it cannot be a code.
 */
export function normalizeCheckCode(typed: string): string | undefined {
  return normalizeCrockfordGroups(typed, CHECK_CODE_GROUPS);
}

/** Compares in time independent of where the codes differ. */
export function checkCodesMatch(expected: string, typed: string): boolean {
  return constantTimeEqual(expected, normalizeCheckCode(typed) ?? '');
}
