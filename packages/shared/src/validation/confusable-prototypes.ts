import { CONFUSABLE_ASTRAL, CONFUSABLE_BMP, CONFUSABLE_PROTOTYPES } from './confusables-table.js';

let prototypes: readonly string[] | undefined;

/** Index of `code` among the `width`-unit code points of `keys` (ascending), or -1. */
function indexOf(keys: string, width: 1 | 2, code: number): number {
  let low = 0;
  let high = keys.length / width - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = keys.codePointAt(middle * width)!;
    if (found === code) return middle;
    if (found < code) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** The prototype of the code point `c` in confusables.txt, if it has one. */
function prototypeOf(c: string): string | undefined {
  const code = c.codePointAt(0)!;
  let index = -1;
  if (c.length === 1) index = indexOf(CONFUSABLE_BMP, 1, code);
  else {
    const astral = indexOf(CONFUSABLE_ASTRAL, 2, code);
    if (astral >= 0) index = CONFUSABLE_BMP.length + astral;
  }
  if (index < 0) return undefined;
  prototypes ??= CONFUSABLE_PROTOTYPES.split('\n');
  return prototypes[index];
}

/**
 * Each code point of `text` replaced by its prototype in Unicode's confusables.txt, the others
 * kept: what unhomoglyph does, without what it costs at start-up (the 6,311-member table as an
 * object, and a 6,311-way regular expression built when it loads and run at every position: about
 * 20 ms before the first name was checked). Every confusable is one code point, so a walk by code
 * points finds what the expression finds; a lone surrogate has no prototype and is kept. The
 * table is searched where it lies (sorted strings): building a Map of it took longer than all the
 * lookups a ceremony makes.
 */
export function replaceConfusables(text: string): string {
  let out = '';
  for (const c of text) out += prototypeOf(c) ?? c;
  return out;
}
