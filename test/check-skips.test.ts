import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/check-skips.mjs');

/** Runs the check on a report of one file with the given tests, against the given list. */
function check(tests: { fullName: string; status: string }[], skips: object[]) {
  const dir = mkdtempSync(join(tmpdir(), 'byok-skips-'));
  const report = join(dir, 'report.json');
  const list = join(dir, 'skips.json');
  writeFileSync(
    report,
    JSON.stringify({
      testResults: [{ name: join(ROOT, 'packages/x/test/a.test.ts'), assertionResults: tests }],
    }),
  );
  writeFileSync(list, JSON.stringify({ skips }));
  const r = spawnSync(process.execPath, [SCRIPT, report, list], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

const entry = (test: string, reason = 'needs a camera') => ({
  file: 'packages/x/test/a.test.ts',
  test,
  reason,
});

describe('scripts/check-skips.mjs', () => {
  it('fails on a skip that is not listed, and names it', () => {
    const r = check([{ fullName: 'a b', status: 'skipped' }], []);
    expect(r.code).toBe(1);
    expect(r.out).toContain('NOT LISTED: packages/x/test/a.test.ts > a b');
  });

  it('passes a listed skip and prints its reason; todo counts as a skip', () => {
    const r = check(
      [
        { fullName: 'a b', status: 'skipped' },
        { fullName: 'a c', status: 'passed' },
      ],
      [entry('a b')],
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('reason: needs a camera');
    expect(check([{ fullName: 'a d', status: 'todo' }], []).code).toBe(1);
  });

  it('fails on an entry without a reason, and on one for a test that is gone', () => {
    expect(check([{ fullName: 'a b', status: 'skipped' }], [entry('a b', ' ')]).code).toBe(1);
    const stale = check([{ fullName: 'a c', status: 'passed' }], [entry('a b')]);
    expect(stale.code).toBe(1);
    expect(stale.out).toContain('STALE');
  });

  it('the committed list gives every entry a file, a test and a reason', () => {
    const { skips } = JSON.parse(readFileSync(join(ROOT, 'test/skips.json'), 'utf8')) as {
      skips: { file: string; test: string; reason: string }[];
    };
    for (const s of skips) {
      expect(readFileSync(join(ROOT, s.file), 'utf8')).toContain(s.test.split(' ').at(-1));
      expect(s.reason.length).toBeGreaterThan(10);
    }
  });
});
