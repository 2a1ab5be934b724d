import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/run-cli.js';
import { CLI } from '../helpers/run-process.js';

const corePattern = (() => {
  try {
    return readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
  } catch {
    return undefined;
  }
})();
// The test reads the dump the kernel writes into the working folder: Linux with a plain core_pattern
// (a piped pattern such as systemd-coredump's hands dumps to a collector this test cannot read).
const canReadCores =
  process.platform === 'linux' &&
  corePattern !== undefined &&
  !corePattern.includes('/') &&
  !corePattern.startsWith('|');

/** Runs node with a preload that keeps a marker in the heap and aborts at exit; returns the core's bytes. */
function crashWithMarker(args: readonly string[]): { core: Buffer; marker: string } {
  const dir = tempDir();
  const marker = `BYOK-CORE-MARKER-${process.hrtime.bigint()}`;
  const hook = join(dir, 'abort-at-exit.mjs');
  writeFileSync(
    hook,
    `globalThis.byokMarker = Buffer.from(${JSON.stringify(marker)});\nprocess.on('exit', () => process.abort());\n`,
  );
  const quoted = [process.execPath, '--import', hook, ...args].map((a) => `'${a}'`).join(' ');
  const result = spawnSync('bash', ['-c', `ulimit -c unlimited && exec ${quoted}`], {
    cwd: dir,
    stdio: 'ignore',
  });
  expect(result.signal).toBe('SIGABRT');
  const cores = readdirSync(dir).filter((f) => f.startsWith(corePattern ?? 'core'));
  expect(cores).toHaveLength(1);
  return { core: readFileSync(join(dir, cores[0]!)), marker };
}

describe('core dumps of byok-offline hold none of its memory', () => {
  it.runIf(canReadCores)('a crash of byok-offline dumps no heap, while plain node does', () => {
    const offline = crashWithMarker([CLI, 'self-test']);
    expect(offline.core.includes(offline.marker)).toBe(false);
    // The control: the same crash without byok-offline's start-up dumps the heap, marker and all.
    const control = crashWithMarker(['-e', '0']);
    expect(control.core.includes(control.marker)).toBe(true);
    expect(offline.core.length).toBeLessThan(control.core.length / 10);
  });

  it('self-test reports the state it set', () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, [CLI, 'self-test', '--json'], { cwd: dir });
    const report = JSON.parse(r.stdout.toString()) as {
      coreDumps: { memoryProtected: boolean; coredumpFilter?: string };
    };
    if (process.platform === 'linux') {
      expect(report.coreDumps.coredumpFilter).toMatch(/^0+$/);
      expect(report.coreDumps.memoryProtected).toBe(true);
    }
  });
});
