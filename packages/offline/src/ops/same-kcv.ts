import { timingSafeEqual } from 'node:crypto';

/**
 * Whether a computed KCV is the one given (any case, surrounding spaces ignored), compared in
 * constant time: a typed or recorded KCV is checked without revealing how much of it matched.
 */
export function sameKcv(computed: string, given: string): boolean {
  const a = Buffer.from(computed.toUpperCase(), 'latin1');
  const b = Buffer.from(given.trim().toUpperCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
