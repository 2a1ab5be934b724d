import type { Xoshiro256 } from './xoshiro256.js';

interface AliasTable {
  readonly probabilities: Float64Array;
  readonly aliases: Uint32Array;
}

/** Vose's alias method over weights 1/d for d = least … count: built once per count. */
function aliasTableOf(count: number): AliasTable {
  const scaled = Array.from(
    { length: count - leastDegree(count) + 1 },
    (_, i) => 1 / (i + leastDegree(count)),
  );
  const degrees = scaled.length;
  const sum = scaled.reduce((a, b) => a + b, 0);
  for (let i = 0; i < degrees; i++) scaled[i] = (scaled[i]! * degrees) / sum;
  const small: number[] = [];
  const large: number[] = [];
  for (let i = degrees - 1; i >= 0; i--) (scaled[i]! < 1 ? small : large).push(i);
  const probabilities = new Float64Array(degrees);
  const aliases = new Uint32Array(degrees);
  while (small.length > 0 && large.length > 0) {
    const less = small.pop()!;
    const more = large.pop()!;
    probabilities[less] = scaled[less]!;
    aliases[less] = more;
    scaled[more] = scaled[more]! + scaled[less]! - 1;
    (scaled[more] < 1 ? small : large).push(more);
  }
  for (const i of [...large, ...small]) probabilities[i] = 1;
  return { probabilities, aliases };
}

/** Two chunks mixed can only give their XOR: a two-frame transfer keeps degree 1 as well. */
const leastDegree = (count: number): number => (count > 2 ? 2 : 1);

const tables = new Map<number, AliasTable>();

/**
 * How many chunks a mixed frame combines, 2 … count, with probability proportional to 1/degree:
 * BCR-2020-005's distribution without degree 1 (kept for a transfer of 1 or 2 frames). Mixed frames follow the pure ones, so a degree-1
 * frame only repeats a chunk most readers have; dropping it took a reader that misses a quarter
 * of a 40-frame transfer from 65 frames shown to 61 on average (docs/performance.md).
 */
export function chooseDegree(count: number, rng: Xoshiro256): number {
  let table = tables.get(count);
  if (table === undefined) {
    table = aliasTableOf(count);
    if (tables.size >= 64) tables.clear();
    tables.set(count, table);
  }
  const column = Math.floor(table.probabilities.length * rng.nextDouble());
  const keep = rng.nextDouble() < table.probabilities[column]!;
  return (keep ? column : table.aliases[column]!) + leastDegree(count);
}
