import { chunkBounds, fragmentLength } from './frame.js';

/** XOR of the named chunks of a payload, each zero-padded to the fragment length. */
export function mixFragments(
  payload: Uint8Array,
  count: number,
  indexes: readonly number[],
): Uint8Array {
  const mixed = new Uint8Array(fragmentLength(payload.length, count));
  for (const index of indexes) {
    const [start, stop] = chunkBounds(payload.length, count, index);
    for (let i = start; i < stop; i++) mixed[i - start] = mixed[i - start]! ^ payload[i]!;
  }
  return mixed;
}
