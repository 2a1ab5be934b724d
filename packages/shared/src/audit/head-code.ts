import {
  constantTimeEqual,
  crockfordGroups,
  normalizeCrockfordGroups,
} from '../check-code/crockford.js';
import { decodeHex } from '../encoding/hex.js';
import { ByokError } from '../errors.js';

/** Six groups of four, one more than a check code, so neither is ever taken for the other. */
export const HEAD_CODE_GROUPS = 6;
/** 24 characters of 5 bits: the first 120 bits of the log head. */
export const HEAD_CODE_BITS = HEAD_CODE_GROUPS * 4 * 5;
const HEX_HEAD = /^[0-9a-f]{64}$/;

/** The short form of a log head that the witness writes on the paper record: `7K2M-Q9XD-…` (6 groups). */
export function headCodeOf(headHex: string): string {
  const head = HEX_HEAD.test(headHex) ? decodeHex(headHex) : undefined;
  if (head === undefined) throw new ByokError('ERR_INTERNAL', 'a head code needs a log head');
  return crockfordGroups(head, HEAD_CODE_GROUPS);
}

/** A log head as written on the paper record: the 64-hex head, or its head code. */
export interface ExpectedHead {
  readonly form: 'hex' | 'code';
  /** Lowercase hex, or the canonical head code. */
  readonly value: string;
  /** Where it came from, for messages: `--expect-head` or `FILE:LINE`. */
  readonly source: string;
  /** The tool whose log must end there, when the paper record says so. */
  readonly tool?: string;
}

/** Parses a typed head: 64 hex digits in any case, or a head code as people type check codes. */
export function parseExpectedHead(typed: string, source: string): ExpectedHead | undefined {
  const trimmed = typed.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed))
    return { form: 'hex', value: trimmed.toLowerCase(), source };
  const code = normalizeCrockfordGroups(trimmed, HEAD_CODE_GROUPS);
  return code === undefined ? undefined : { form: 'code', value: code, source };
}

/** Whether a log ending at `head` is the one written down; constant time over the compared form. */
export function headMatches(expected: ExpectedHead, head: string): boolean {
  return constantTimeEqual(expected.value, expected.form === 'hex' ? head : headCodeOf(head));
}
