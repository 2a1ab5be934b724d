import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import unhomoglyph from 'unhomoglyph';
import { describe, expect, it } from 'vitest';
import { replaceConfusables } from '../../src/validation/confusable-prototypes.js';
import { CONFUSABLE_PROTOTYPES } from '../../src/validation/confusables-table.js';

const require = createRequire(import.meta.url);
const data = JSON.parse(readFileSync(require.resolve('unhomoglyph/data.json'), 'utf8')) as Record<
  string,
  string
>;
const confusables = Object.keys(data);

describe('replaceConfusables', () => {
  it('holds exactly the installed unhomoglyph table (else: node scripts/generate-confusables.mjs)', () => {
    const entries = CONFUSABLE_PROTOTYPES.split('\n');
    expect(entries).toHaveLength(confusables.length);
    for (const from of confusables) expect(replaceConfusables(from), from).toBe(data[from]);
  });

  it('gives what unhomoglyph gives, confusables among other text, astral characters and lone surrogates', () => {
    const piece = fc.oneof(
      fc.constantFrom(...confusables),
      fc.string({ unit: 'grapheme-ascii', maxLength: 4 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.constantFrom('\ud835', '\udc00', '\ud835\udc00', 'rn', 'ВОВ'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        expect(replaceConfusables(text)).toBe(unhomoglyph(text));
      }),
      { numRuns: 2000, seed: 22 },
    );
  });

  it('replaces every confusable of a long text, and keeps the rest', () => {
    const text = `${confusables.join('x')}\ud800tail`;
    expect(replaceConfusables(text)).toBe(unhomoglyph(text));
    expect(replaceConfusables('CAROL and DAVE')).toBe('CAROL and DAVE');
  });
});
