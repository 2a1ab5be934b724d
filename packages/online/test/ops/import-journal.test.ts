import { mkdtemp, readFile, appendFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportRequestBundle } from '@byok-ceremony/shared';
import { describe, expect, it } from 'vitest';
import { openImportJournal } from '../../src/io/import-journal-file.js';
import { parseImportJournal } from '../../src/ops/import-journal.js';
import { importWindowWarning } from '../../src/ops/import-window.js';
import { runBounded } from '../../src/ops/run-bounded.js';

const ARNS = [0, 1].map(
  (i) => `arn:aws:kms:eu-west-2:111122223333:key/0000000${i}-0000-4000-8000-000000000000`,
);
const REQUEST = { targets: ARNS.map((keyArn) => ({ keyArn })) } as unknown as ImportRequestBundle;
const DIGESTS = { request: 'a'.repeat(64), wrapped: 'b'.repeat(64) };
const T = '2026-12-01T08:00:00.000Z';
const header = JSON.stringify({ format: 'byok-import-journal/2', ...DIGESTS, targets: 2, time: T });
const sending = (target: number) =>
  JSON.stringify({
    event: 'sending',
    target,
    keyArn: ARNS[target],
    time: T,
    keyState: 'PendingImport',
    keyMaterialId: null,
  });
const imported = (target: number) =>
  JSON.stringify({
    event: 'imported',
    target,
    keyArn: ARNS[target],
    time: T,
    keyState: 'Enabled',
    keyMaterialId: 'k',
    proof: 'kcv-only',
    proven: false,
    alreadyHeld: false,
    current: true,
  });
const parse = (lines: string[]) =>
  parseImportJournal(`${lines.join('\n')}\n`, 'j', REQUEST, DIGESTS);

describe('parseImportJournal', () => {
  it('reads what was sent and what is done, per target', () => {
    const state = parse([header, sending(0), imported(0), sending(1)]);
    expect(state.keys.get(0)?.done?.keyMaterialId).toBe('k');
    expect(state.keys.get(1)).toEqual({
      sending: { keyState: 'PendingImport', keyMaterialId: null },
      done: undefined,
    });
  });

  it.each([
    ['another request', [header.replace('a'.repeat(64), 'c'.repeat(64))], /another import request/],
    [
      'another wrapped bundle',
      [header.replace('b'.repeat(64), 'c'.repeat(64))],
      /another wrapped-key bundle/,
    ],
    [
      'an unknown member',
      [header, sending(0).replace('{', '{"extra":1,')],
      /line 2: not an import journal event/,
    ],
    [
      'a duplicate member',
      [header, sending(0).replace('{', '{"target":1,')],
      /line 2: not a JSON object/,
    ],
    ['a target out of range', [header, sending(0).replace('"target":0', '"target":2')], /line 2/],
    [
      'an ARN that is not the target',
      [header, sending(0).replace(ARNS[0]!, ARNS[1]!)],
      /target 0 is not/,
    ],
    [
      'a key imported twice',
      [header, imported(0), imported(0)],
      /line 3: .* already recorded as imported/,
    ],
    ['a sending after imported', [header, imported(0), sending(0)], /line 3/],
    ['no header', [sending(0)], /line 1: not a byok-import-journal\/2 header/],
  ])('refuses %s', (_what, lines, message) => {
    expect(() => parse(lines)).toThrow(message);
  });
});

describe('openImportJournal', () => {
  const now = () => new Date(T);
  it('creates exclusively, resumes strictly, and drops only a line cut off mid-write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'byok-journal-'));
    const path = join(dir, 'request.json.journal.jsonl');
    const said: string[] = [];
    const options = {
      path,
      request: REQUEST,
      digests: DIGESTS,
      now,
      say: (l: string) => said.push(l),
    };
    const first = await openImportJournal({ ...options, resume: false });
    await Promise.all([first.append(JSON.parse(sending(0))), first.append(JSON.parse(sending(1)))]);
    await first.append(JSON.parse(imported(0)));
    await first.close();
    await expect(openImportJournal({ ...options, resume: false })).rejects.toMatchObject({
      code: 'ERR_JOURNAL',
      message: expect.stringMatching(/started before/),
    });
    await appendFile(path, imported(1).slice(0, 40));
    const again = await openImportJournal({ ...options, resume: true });
    expect(said).toEqual([
      'note: the import journal ended in a line cut off mid-write (40 bytes); it was dropped',
    ]);
    expect(again.earlier.keys.get(0)?.done).toBeDefined();
    expect(again.earlier.keys.get(1)?.done).toBeUndefined();
    await again.append(JSON.parse(imported(1)));
    await again.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { event?: string }).event ?? 'header')).toEqual([
      'header',
      'sending',
      'sending',
      'imported',
      'resumed',
      'imported',
    ]);
    await writeFile(path, `${header}\n${sending(0)}x\n`);
    await expect(openImportJournal({ ...options, resume: true })).rejects.toMatchObject({
      code: 'ERR_JOURNAL',
    });
  });
});

describe('runBounded', () => {
  it('keeps item order whatever the completion order, with at most N in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await runBounded([30, 5, 20, 1, 10, 2], 3, async (ms, i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((done) => setTimeout(done, ms));
      inFlight--;
      return i;
    });
    expect(out.map((o) => (o.started ? o.value : -1))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(3);
  });

  it('starts nothing after a failure or an abort; the first failure is thrown', async () => {
    const started: number[] = [];
    await expect(
      runBounded([0, 1, 2, 3], 1, (i) => {
        started.push(i);
        return i === 1 ? Promise.reject(new Error('one')) : Promise.resolve(i);
      }),
    ).rejects.toThrow('one');
    expect(started).toEqual([0, 1]);
    const controller = new AbortController();
    const out = await runBounded(
      [0, 1, 2],
      1,
      (i) => {
        if (i === 0) controller.abort();
        return Promise.resolve(i);
      },
      controller.signal,
    );
    expect(out.map((o) => o.started)).toEqual([true, false, false]);
  });
});

describe('importWindowWarning', () => {
  const preparedAt = new Date('2026-12-01T08:00:00Z');
  it('warns when the measured rate leaves no time before the earliest ParametersValidTo', () => {
    const earliestValidTo = new Date('2026-12-02T08:00:00Z');
    expect(
      importWindowWarning({ keys: 1000, prepareMs: 60_000, preparedAt, earliestValidTo }),
    ).toBeUndefined();
    expect(
      importWindowWarning({ keys: 1000, prepareMs: 15 * 3600_000, preparedAt, earliestValidTo }),
    ).toMatch(
      /^warning: the 1000 key\(s\) may not be imported before the earliest ParametersValidTo \(2026-12-02T08:00:00.000Z\): at this run's rate import takes about 1350 min/,
    );
  });
});
