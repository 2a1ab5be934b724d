import fc from 'fast-check';
import { ByokError, type ImportRequestBundle } from '@byok-ceremony/shared';
import { describe, expect, it } from 'vitest';
import { parseImportJournal } from '../../src/ops/import-journal.js';

// The journal sits beside the request: whoever can write there controls every byte of it.
const numRuns = Number(process.env['BYOK_FUZZ_RUNS'] ?? 200);
const ARNS = [0, 1, 2].map(
  (i) => `arn:aws:kms:eu-west-2:111122223333:key/0000000${i}-0000-4000-8000-000000000000`,
);
const REQUEST = { targets: ARNS.map((keyArn) => ({ keyArn })) } as unknown as ImportRequestBundle;
const DIGESTS = { request: 'a'.repeat(64), wrapped: 'b'.repeat(64) };
const T = '2026-12-01T08:00:00.000Z';
const ID = 'c'.repeat(64);

const header = { format: 'byok-import-journal/2', ...DIGESTS, targets: 3, time: T };
const sending = (target: number) => ({
  event: 'sending',
  target,
  keyArn: ARNS[target],
  time: T,
  keyState: 'PendingImport',
  keyMaterialId: null,
});
const imported = (target: number) => ({
  event: 'imported',
  target,
  keyArn: ARNS[target],
  time: T,
  keyState: 'Enabled',
  keyMaterialId: ID,
  proof: 'kcv-only',
  proven: false,
  alreadyHeld: false,
  current: true,
});
const VALID: Record<string, unknown>[] = [
  header,
  sending(0),
  imported(0),
  sending(1),
  { event: 'resumed', time: T },
  sending(2),
  imported(2),
];

/** Parsed, or refused as ERR_JOURNAL with a hint: never another exception. */
function parsedOrRefused(text: string): void {
  try {
    const state = parseImportJournal(text, 'j', REQUEST, DIGESTS);
    for (const index of state.keys.keys()) expect(index).toBeLessThan(ARNS.length);
  } catch (error) {
    if (!(error instanceof ByokError)) throw error;
    expect(error.code).toBe('ERR_JOURNAL');
    expect(error.hint).toMatch(/\S/);
  }
}

const hostile = fc.oneof(
  fc.constantFrom(
    null,
    true,
    -1,
    3,
    1e300,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    '__proto__',
    'x'.repeat(5000),
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
);

/** A valid journal, its lines dropped, repeated, reordered, or one field of one line replaced. */
const mutatedJournal = fc
  .tuple(
    fc.subarray(
      VALID.map((_, i) => i),
      { minLength: 1 },
    ),
    fc.array(fc.nat({ max: VALID.length - 1 }), { maxLength: 3 }),
    fc.nat(),
    fc.string({ maxLength: 12 }),
    hostile,
    fc.boolean(),
  )
  .map(([kept, extra, which, field, value, truncate]) => {
    const lines = [...kept, ...extra].map((i) => ({ ...VALID[i]! }));
    const line = lines[which % lines.length]!;
    const keys = Object.keys(line);
    const name = field === '' ? keys[which % keys.length]! : field;
    line[name] = value;
    const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    return truncate ? text.slice(0, which % text.length) : text;
  });

describe('parseImportJournal under hostile input', () => {
  it('takes the valid journal', () => {
    const state = parseImportJournal(
      VALID.map((l) => JSON.stringify(l)).join('\n') + '\n',
      'j',
      REQUEST,
      DIGESTS,
    );
    expect(state.keys.get(0)?.done?.keyMaterialId).toBe(ID);
    expect(state.resumes).toBe(1);
  });

  it('parses or refuses arbitrary text as ERR_JOURNAL', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), parsedOrRefused), {
      numRuns,
    });
  });

  it('parses or refuses mutated journals as ERR_JOURNAL', () => {
    fc.assert(fc.property(mutatedJournal, parsedOrRefused), { numRuns });
  });
});
