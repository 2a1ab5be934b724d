import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByokError } from '../../src/errors.js';
import { parseMaterialSet, serializeMaterialSet } from '../../src/custody/material-set.js';
import { formatShareFile, parseShareFile } from '../../src/custody/share-file.js';
import { parseComponentFile } from '../../src/custody/component-file.js';
import { sampleSet, sha256 } from '../custody/helpers.js';

const numRuns = Number(process.env['BYOK_FUZZ_RUNS'] ?? 200);

/** Every failure of a parser is a ByokError with a code and a hint, never another exception. */
function expectByokFailure(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ByokError);
    expect((error as ByokError).code).toMatch(/^ERR_/);
    expect((error as ByokError).hint).toBeTruthy();
  }
}

const mutate = (text: string) =>
  fc
    .array(fc.tuple(fc.nat(), fc.string({ maxLength: 3 }), fc.nat({ max: 4 })), {
      minLength: 1,
      maxLength: 4,
    })
    .map((edits) =>
      edits.reduce((t, [at, insert, cut]) => {
        const i = t.length === 0 ? 0 : at % t.length;
        return t.slice(0, i) + insert + t.slice(i + cut);
      }, text),
    );

describe('custody parsers under arbitrary input', () => {
  const setText = serializeMaterialSet(sampleSet());
  const shareText = formatShareFile(
    {
      ceremonyId: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f',
      setDigest: 'cd'.repeat(32),
      splitId: '1e'.repeat(16),
      index: 1,
      count: 2,
      threshold: 2,
      covers: [{ materialGroup: 'k1', keySpec: 'SYMMETRIC_DEFAULT', kcv: '1A2B3C' }],
      share: new Uint8Array(200).fill(7),
    },
    sha256,
  );

  it('material set: random text and edits of a valid set fail as ByokErrors', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), mutate(setText)), (text) =>
        expectByokFailure(() => parseMaterialSet(text)),
      ),
      { numRuns },
    );
  });

  it('share file: random text and edits of a valid share fail as ByokErrors, and every edit is caught', () => {
    fc.assert(
      fc.property(mutate(shareText), (text) => {
        if (text === shareText) return;
        expect(() => parseShareFile(text, sha256)).toThrow(ByokError);
        expectByokFailure(() => parseShareFile(text, sha256));
      }),
      { numRuns },
    );
    fc.assert(
      fc.property(fc.string(), (text) => expectByokFailure(() => parseShareFile(text, sha256))),
      { numRuns },
    );
  });

  it('component file: random text fails as a ByokError', () => {
    fc.assert(
      fc.property(fc.string(), (text) => expectByokFailure(() => parseComponentFile(text, sha256))),
      { numRuns },
    );
  });
});
