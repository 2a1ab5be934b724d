import { describe, expect, it } from 'vitest';
import type { CliDeps } from '../../src/cli/deps.js';
import { keyProgress } from '../../src/cli/import-output.js';
import type { ImportedKey } from '../../src/ops/import-wrapped-keys.js';

function fakeDeps(stderrIsTty: boolean | undefined): {
  deps: CliDeps;
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  const deps = {
    stdout: (text: string) => out.push(text),
    stderr: (text: string) => err.push(text),
    ...(stderrIsTty === undefined ? {} : { stderrIsTty }),
  } as unknown as CliDeps;
  return { deps, out, err };
}

const key = (n: number): ImportedKey => ({
  keyArn: `arn:aws:kms:eu-west-2:111122223333:key/${n}`,
  keyState: 'Enabled',
  keyMaterialId: 'a'.repeat(64),
  kcv: 'ABC123',
  proof: 'kcv-only',
  proven: false,
  alreadyHeld: false,
  current: true,
});

describe('keyProgress', () => {
  it('redraws one bar line on a terminal stderr and ends it with a line break', () => {
    const { deps, out, err } = fakeDeps(true);
    const onKey = keyProgress(deps, false)!;
    [2, 0, 1, 3].forEach((index) => onKey(index, key(index), 4));
    expect(out).toEqual([]);
    expect(err).toEqual([
      `\rbyok-online: [${'#'.repeat(8)}${'.'.repeat(22)}] 1/4 key(s)`,
      `\rbyok-online: [${'#'.repeat(15)}${'.'.repeat(15)}] 2/4 key(s)`,
      `\rbyok-online: [${'#'.repeat(23)}${'.'.repeat(7)}] 3/4 key(s)`,
      `\rbyok-online: [${'#'.repeat(30)}] 4/4 key(s)\n`,
    ]);
  });

  it('draws nothing when stderr is not a terminal', () => {
    for (const tty of [false, undefined]) {
      const { deps } = fakeDeps(tty);
      expect(keyProgress(deps, false)).toBeUndefined();
    }
  });

  it('--json-lines: one JSON line per key on stdout and no bar, even on a terminal', () => {
    const { deps, out, err } = fakeDeps(true);
    const onKey = keyProgress(deps, true)!;
    onKey(1, key(1), 2);
    onKey(0, key(0), 2);
    expect(err).toEqual([]);
    expect(out.map((line) => JSON.parse(line) as unknown)).toEqual([
      { index: 1, ...key(1) },
      { index: 0, ...key(0) },
    ]);
    expect(out.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(
      true,
    );
  });
});
