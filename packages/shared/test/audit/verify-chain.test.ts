import { describe, expect, it } from 'vitest';
import {
  auditEntryHash,
  canonicalJson,
  verifyAuditChain,
  type AuditFinding,
} from '../../src/index.js';
import { AUDIT_LINE_MAX_CHARS } from '../../src/audit/verify/chain-line.js';
import { ceremonyLogs } from './fixture-logs.js';

const errors = (findings: readonly AuditFinding[]) =>
  findings.filter((f) => f.severity === 'error').map((f) => ({ code: f.code, line: f.line }));

function lines(text: string): string[] {
  return text.split('\n').slice(0, -1);
}
function join(ls: readonly string[]): string {
  return ls.map((l) => `${l}\n`).join('');
}
/**
 * Runs `body` counting the calls to the collection methods a walk over seqs would make (Map and
 * Set lookups, array pushes), a deterministic measure of work; past `budget` it stops the walk.
 */
function countingSteps<T>(body: () => T, budget = 100_000): { value: T; steps: number } {
  let steps = 0;
  const methods = [
    [Map.prototype, 'get'],
    [Map.prototype, 'has'],
    [Map.prototype, 'set'],
    [Set.prototype, 'has'],
    [Set.prototype, 'add'],
    [Array.prototype, 'push'],
    [Array.prototype, 'includes'],
  ] as const;
  const originals = methods.map(
    ([proto, name]) => (proto as unknown as Record<string, unknown>)[name],
  );
  methods.forEach(([proto, name], i) => {
    const original = originals[i] as (...args: unknown[]) => unknown;
    (proto as unknown as Record<string, unknown>)[name] = function (
      this: unknown,
      ...args: unknown[]
    ) {
      if (++steps > budget) throw new Error(`more than ${budget} steps`);
      return original.apply(this, args);
    };
  });
  try {
    return { value: body(), steps };
  } finally {
    methods.forEach(([proto, name], i) => {
      (proto as unknown as Record<string, unknown>)[name] = originals[i];
    });
  }
}

/** The online log of the fixture: create-key, prepare, import, status. */
const ONLINE = lines(ceremonyLogs().online);

describe('verifyAuditChain', () => {
  it('accepts an intact log and names its head', () => {
    const result = verifyAuditChain('online.jsonl', join(ONLINE));
    expect(errors(result.findings)).toEqual([]);
    expect(result.tool).toBe('byok-online');
    expect(result.entries.map((e) => e.entry.command)).toEqual([
      'create-key',
      'prepare',
      'import',
      'status',
    ]);
    expect(result.head).toBe(auditEntryHash(ONLINE[3]!));
  });

  it('names an edited line by its number', () => {
    const edited = [...ONLINE];
    edited[1] = edited[1]!.replace('"r3"', '"r9"');
    expect(errors(verifyAuditChain('l', join(edited)).findings)).toEqual([
      { code: 'line-edited', line: 2 },
    ]);
  });

  it('names a removed line at the line that follows the gap', () => {
    const removed = ONLINE.filter((_, i) => i !== 1);
    expect(errors(verifyAuditChain('l', join(removed)).findings)).toEqual([
      { code: 'line-removed', line: 2 },
    ]);
  });

  it('names a line with a huge seq at once, without walking every missing seq', () => {
    const entry = JSON.parse(ONLINE[1]!) as Record<string, unknown>;
    const forged = canonicalJson({ ...entry, seq: 2 ** 40, prev: auditEntryHash(ONLINE[0]!) });
    const result = countingSteps(() => verifyAuditChain('l', join([ONLINE[0]!, forged])));
    // The work does not grow with the gap: a gap nine times larger (a seq of as many digits, so
    // the same text to hash and parse) takes exactly the same steps.
    const larger = canonicalJson({
      ...entry,
      seq: 9_999_999_999_999,
      prev: auditEntryHash(ONLINE[0]!),
    });
    expect(larger.length).toBe(forged.length);
    const baseline = countingSteps(() => verifyAuditChain('l', join([ONLINE[0]!, larger])));
    expect(baseline.steps).toBeGreaterThan(0);
    expect(result.steps).toBe(baseline.steps);
    expect(errors(baseline.value.findings)).toEqual([{ code: 'line-removed', line: 2 }]);
    expect(errors(result.value.findings)).toEqual([{ code: 'line-removed', line: 2 }]);
    expect(result.value.findings[0]!.message).toBe(
      `${2 ** 40 - 1} line(s) removed before line 2: seq 1–${2 ** 40 - 1} is missing`,
    );
  });

  it('names swapped lines', () => {
    const swapped = [ONLINE[0]!, ONLINE[2]!, ONLINE[1]!, ONLINE[3]!];
    expect(errors(verifyAuditChain('l', join(swapped)).findings)).toEqual([
      { code: 'line-out-of-order', line: 3 },
    ]);
  });

  it('names an inserted line even when the forger chained it to its predecessor', () => {
    const forged = JSON.parse(ONLINE[2]!) as Record<string, unknown>;
    forged['prev'] = auditEntryHash(ONLINE[1]!);
    forged['operators'] = ['MALLORY', 'EVE'];
    const inserted = [ONLINE[0]!, ONLINE[1]!, canonicalJson(forged), ONLINE[2]!, ONLINE[3]!];
    expect(errors(verifyAuditChain('l', join(inserted)).findings)).toEqual([
      { code: 'line-inserted', line: 3 },
    ]);
  });

  it('names an inserted line that is not an entry', () => {
    const inserted = [ONLINE[0]!, 'power was lost here', ONLINE[1]!, ONLINE[2]!, ONLINE[3]!];
    const found = errors(verifyAuditChain('l', join(inserted)).findings);
    expect(found).toContainEqual({ code: 'line-unreadable', line: 2 });
    expect(found.every((f) => f.line === 2 || f.code === 'line-out-of-order')).toBe(true);
  });

  it('rejects unknown fields and non-canonical lines as edits', () => {
    const extra = JSON.parse(ONLINE[1]!) as Record<string, unknown>;
    extra['note'] = 'added later';
    const withField = [ONLINE[0]!, canonicalJson(extra), ONLINE[2]!, ONLINE[3]!];
    const result = verifyAuditChain('l', join(withField));
    expect(errors(result.findings)).toContainEqual({ code: 'entry-invalid', line: 2 });
    expect(result.findings.find((f) => f.code === 'entry-invalid')?.message).toContain(
      'entry.note: unknown field',
    );
    const spaced = [
      ONLINE[0]!,
      JSON.stringify(JSON.parse(ONLINE[1]!), null, 1).replace(/\n/g, ''),
      ONLINE[2]!,
    ];
    expect(errors(verifyAuditChain('l', join(spaced)).findings)).toContainEqual({
      code: 'entry-invalid',
      line: 2,
    });
  });

  it('reports a line with a key given twice as an invalid entry, by its line number', () => {
    // JSON.parse would keep the last "outcome"; a reader taking the first would see another entry.
    const doubled = ONLINE[2]!.replace('"outcome":"ok"', '"outcome":"error","outcome":"ok"');
    expect(doubled).not.toBe(ONLINE[2]);
    const result = verifyAuditChain('l', join([ONLINE[0]!, ONLINE[1]!, doubled, ONLINE[3]!]));
    expect(errors(result.findings)).toContainEqual({ code: 'entry-invalid', line: 3 });
    expect(result.findings.find((f) => f.code === 'entry-invalid')?.message).toBe(
      'line 3 is not a valid audit entry (it was edited): duplicate key "outcome" in the object at $',
    );
  });

  it('reads a line up to AUDIT_LINE_MAX_CHARS (an import of 10,000 keys writes 4.5 M) and no longer', () => {
    const long = (chars: number) => `{"pad":"${'a'.repeat(chars - 10)}"}`;
    const under = verifyAuditChain('l', join([long(4_600_000)])).findings;
    expect(under.some((f) => f.message.includes('characters long'))).toBe(false);
    const over = verifyAuditChain('l', join([long(AUDIT_LINE_MAX_CHARS + 1)])).findings;
    expect(over).toContainEqual(expect.objectContaining({ code: 'line-unreadable', line: 1 }));
    expect(over.find((f) => f.code === 'line-unreadable')!.message).toMatch(/characters long/);
  });

  it('reports a line cut off without its line end', () => {
    const text = join(ONLINE).slice(0, -1);
    expect(errors(verifyAuditChain('l', text).findings)).toEqual([
      { code: 'line-unreadable', line: 4 },
    ]);
    const half = join(ONLINE).slice(0, -40);
    expect(errors(verifyAuditChain('l', half).findings)).toEqual([
      { code: 'line-unreadable', line: 4 },
    ]);
  });

  it('reports an edited first entry and a replaced start', () => {
    const first = JSON.parse(ONLINE[1]!) as Record<string, unknown>;
    first['seq'] = 0;
    first['prev'] = 'f'.repeat(64);
    const result = verifyAuditChain('l', join([canonicalJson(first), ...ONLINE.slice(2)]));
    expect(errors(result.findings)).toContainEqual({ code: 'first-entry', line: 1 });
  });

  it('reports an empty log', () => {
    expect(errors(verifyAuditChain('l', '').findings)).toEqual([{ code: 'log-empty', line: null }]);
  });

  it('cannot see an edited last line on its own (the interlock and recorded heads must)', () => {
    const edited = [...ONLINE];
    edited[3] = edited[3]!.replace('"create-key"', '"status"').replace('"status"', '"prepare"');
    expect(errors(verifyAuditChain('l', join(edited)).findings)).toEqual([]);
  });
});
