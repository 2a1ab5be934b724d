import { chunkBounds, fragmentLength } from './frame.js';

/** A mixed frame not yet peeled down to one chunk: the XOR of the chunks still unknown in it. */
interface HeldPart {
  readonly indexes: Set<number>;
  readonly data: Uint8Array;
}

/** What one part did to the transfer. */
export type FountainOutcome =
  /** It gave one or more chunks not known before. */
  | { readonly kind: 'learned'; readonly chunks: number }
  /** It is kept until peeling reduces it to one chunk. */
  | { readonly kind: 'held' }
  /** Everything in it was known and it agrees: adds nothing. */
  | { readonly kind: 'redundant' }
  /** It contradicts chunks already known, or its padding is not zero: ignored. */
  | { readonly kind: 'conflict'; readonly message: string }
  /** The held parts are at their limit: ignored. */
  | { readonly kind: 'full' };

const xorInto = (target: Uint8Array, source: Uint8Array): void => {
  for (let i = 0; i < source.length; i++) target[i] = target[i]! ^ source[i]!;
};

const isZero = (bytes: Uint8Array): boolean => bytes.every((b) => b === 0);

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * The peeling decoder of a fountain code (as in Blockchain Commons' UR): each part is the XOR of
 * some chunks; known chunks are XORed out of it, a part left with one chunk gives that chunk,
 * which is XORed out of every held part in turn. Memory is bounded: at most `maxHeld` parts of
 * one fragment each. Whatever it gives is checked by the caller against the transfer's digest.
 */
export class FountainDecoder {
  readonly chunks = new Map<number, Uint8Array>();
  readonly #payloadLength: number;
  readonly #count: number;
  readonly #fragmentLength: number;
  readonly #maxHeld: number;
  readonly #held = new Set<HeldPart>();
  readonly #heldByIndex = new Map<number, Set<HeldPart>>();
  /** Parts found inconsistent only while peeling others: dropped, counted for the operator. */
  #lateConflicts = 0;

  constructor(payloadLength: number, count: number, maxHeld: number) {
    this.#payloadLength = payloadLength;
    this.#count = count;
    this.#fragmentLength = fragmentLength(payloadLength, count);
    this.#maxHeld = maxHeld;
  }

  get complete(): boolean {
    return this.chunks.size === this.#count;
  }

  get held(): number {
    return this.#held.size;
  }

  get lateConflicts(): number {
    return this.#lateConflicts;
  }

  /** A part: the XOR of the chunks at `indexes` (each zero-padded to the fragment length). */
  add(indexes: readonly number[], fragment: Uint8Array): FountainOutcome {
    const data = fragment.slice();
    const rest = new Set<number>();
    for (const index of indexes) {
      const known = this.chunks.get(index);
      if (known === undefined) rest.add(index);
      else xorInto(data, known);
    }
    // A held part whose chunks are all in this one reduces it further.
    if (rest.size > 1)
      for (const part of this.#heldSharing(rest))
        if (part.indexes.size < rest.size && [...part.indexes].every((i) => rest.has(i))) {
          xorInto(data, part.data);
          for (const i of part.indexes) rest.delete(i);
        }
    if (rest.size === 0)
      return isZero(data)
        ? { kind: 'redundant' }
        : { kind: 'conflict', message: 'it disagrees with the frames already read' };
    if (rest.size === 1) {
      const index = [...rest][0]!;
      const chunk = this.#chunkOf(index, data);
      if (chunk === undefined)
        return { kind: 'conflict', message: 'its padding is not zero: not a fragment we write' };
      return { kind: 'learned', chunks: this.#learn(index, chunk) };
    }
    const same = this.#heldSame(rest);
    if (same !== undefined)
      return sameBytes(same.data, data)
        ? { kind: 'redundant' }
        : { kind: 'conflict', message: 'it disagrees with a mixed frame already read' };
    if (this.#held.size >= this.#maxHeld) return { kind: 'full' };
    const part: HeldPart = { indexes: rest, data };
    this.#hold(part);
    // Held parts that contain this one are reduced by it, and may give chunks. Peeling may
    // change or settle any part meanwhile; each stays the XOR of its indexes, so only what is
    // still held is used.
    let learned = 0;
    for (const other of [...this.#heldSharing(rest)]) {
      if (!this.#held.has(part)) break;
      if (other === part || !this.#held.has(other)) continue;
      if (
        other.indexes.size > part.indexes.size &&
        [...part.indexes].every((i) => other.indexes.has(i))
      ) {
        this.#drop(other);
        xorInto(other.data, part.data);
        for (const i of part.indexes) other.indexes.delete(i);
        learned += this.#settle(other);
      }
    }
    if (learned === 0) learned = this.#eliminate();
    return learned > 0 ? { kind: 'learned', chunks: learned } : { kind: 'held' };
  }

  /**
   * When peeling stalls but the held parts are as many as the chunks still unknown, Gauss–Jordan
   * elimination over them (the same XORs, in another order) finds every chunk they determine:
   * without it the 1/degree distribution costs several extra frames. Up to 512 unknown chunks,
   * so an attempt stays a few milliseconds; above that, peeling alone.
   */
  #eliminate(): number {
    const unknown = this.#count - this.chunks.size;
    if (this.#held.size < unknown || unknown > 512) return 0;
    const columns = [...this.#heldByIndex].filter(([, parts]) => parts.size > 0).map(([i]) => i);
    const column = new Map(columns.map((index, c) => [index, c]));
    const words = Math.ceil(columns.length / 32);
    const rows = [...this.#held].map((part) => {
      const bits = new Uint32Array(words);
      for (const i of part.indexes) {
        const c = column.get(i)!;
        bits[c >>> 5] = bits[c >>> 5]! | (1 << (c & 31));
      }
      return { bits, data: part.data.slice() };
    });
    let rank = 0;
    for (let c = 0; c < columns.length && rank < rows.length; c++) {
      const word = c >>> 5;
      const bit = 1 << (c & 31);
      const pivot = rows.findIndex((row, r) => r >= rank && (row.bits[word]! & bit) !== 0);
      if (pivot < 0) continue;
      [rows[rank], rows[pivot]] = [rows[pivot]!, rows[rank]!];
      const top = rows[rank]!;
      for (const row of rows)
        if (row !== top && (row.bits[word]! & bit) !== 0) {
          for (let w = 0; w < words; w++) row.bits[w] = row.bits[w]! ^ top.bits[w]!;
          xorInto(row.data, top.data);
        }
      rank++;
    }
    const found: [number, Uint8Array][] = [];
    for (const row of rows.slice(0, rank)) {
      const set = columns.filter((_, c) => (row.bits[c >>> 5]! & (1 << (c & 31))) !== 0);
      if (set.length !== 1) continue;
      const chunk = this.#chunkOf(set[0]!, row.data);
      if (chunk === undefined) this.#lateConflicts++;
      else found.push([set[0]!, chunk]);
    }
    return found.reduce((learned, [index, chunk]) => learned + this.#learn(index, chunk), 0);
  }

  /** A chunk from a pure frame; `conflict` when a different chunk is known at that index. */
  addChunk(index: number, chunk: Uint8Array): 'learned' | 'known' | 'conflict' {
    const known = this.chunks.get(index);
    if (known !== undefined) return sameBytes(known, chunk) ? 'known' : 'conflict';
    this.#learn(index, chunk);
    return 'learned';
  }

  /** Records a chunk and peels it out of every held part, in turn; returns the chunks learned. */
  #learn(index: number, chunk: Uint8Array): number {
    const queue: [number, Uint8Array][] = [[index, chunk]];
    let learned = 0;
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [i, bytes] = next;
      const known = this.chunks.get(i);
      if (known !== undefined) {
        if (!sameBytes(known, bytes)) this.#lateConflicts++;
        continue;
      }
      this.chunks.set(i, bytes);
      learned++;
      for (const part of [...(this.#heldByIndex.get(i) ?? [])]) {
        this.#drop(part);
        xorInto(part.data, bytes);
        part.indexes.delete(i);
        const found = this.#resolve(part);
        if (found !== undefined) queue.push(found);
        else if (part.indexes.size > 1) this.#hold(part);
      }
    }
    return learned;
  }

  /** A part reduced elsewhere: learn it if it is down to one chunk, hold it otherwise. */
  #settle(part: HeldPart): number {
    const found = this.#resolve(part);
    if (found !== undefined) return this.#learn(...found);
    if (part.indexes.size > 1) this.#hold(part);
    return 0;
  }

  /** The chunk a part reduced to one index gives, or nothing (dropped if inconsistent). */
  #resolve(part: HeldPart): [number, Uint8Array] | undefined {
    if (part.indexes.size === 0) {
      if (!isZero(part.data)) this.#lateConflicts++;
      return undefined;
    }
    if (part.indexes.size > 1) return undefined;
    const index = [...part.indexes][0]!;
    const chunk = this.#chunkOf(index, part.data);
    if (chunk === undefined) this.#lateConflicts++;
    return chunk === undefined ? undefined : [index, chunk];
  }

  /** The chunk's own length of a fragment, if the padding after it is zero. */
  #chunkOf(index: number, data: Uint8Array): Uint8Array | undefined {
    const [start, stop] = chunkBounds(this.#payloadLength, this.#count, index);
    const length = stop - start;
    if (data.length !== this.#fragmentLength || !isZero(data.subarray(length))) return undefined;
    return data.slice(0, length);
  }

  #heldSharing(indexes: Set<number>): Set<HeldPart> {
    const parts = new Set<HeldPart>();
    for (const i of indexes) for (const part of this.#heldByIndex.get(i) ?? []) parts.add(part);
    return parts;
  }

  #heldSame(indexes: Set<number>): HeldPart | undefined {
    const first = [...indexes][0]!;
    for (const part of this.#heldByIndex.get(first) ?? [])
      if (part.indexes.size === indexes.size && [...indexes].every((i) => part.indexes.has(i)))
        return part;
    return undefined;
  }

  #hold(part: HeldPart): void {
    this.#held.add(part);
    for (const i of part.indexes) {
      let parts = this.#heldByIndex.get(i);
      if (parts === undefined) this.#heldByIndex.set(i, (parts = new Set()));
      parts.add(part);
    }
  }

  #drop(part: HeldPart): void {
    this.#held.delete(part);
    for (const i of part.indexes) this.#heldByIndex.get(i)?.delete(part);
  }
}
