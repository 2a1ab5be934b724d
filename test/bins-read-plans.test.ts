import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The end-to-end tests run each CLI's dist/ build; the bins run its bundle, where a package's
// CommonJS build imports differently. Reading a plan loads yaml (CommonJS) by import(): this runs
// it through the bins themselves, as a user types the commands.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = {
  online: join(ROOT, 'packages/online/bin/byok-online.mjs'),
  offline: join(ROOT, 'packages/offline/bin/byok-offline.mjs'),
};

const PLAN = `format: byok-ceremony/plan
version: 1
name: bins read plans
account: "111122223333"
region: eu-west-2
operators:
  - { name: ALICE, operatorKey: "${'1'.repeat(64)}" }
  - { name: BOB, operatorKey: "${'2'.repeat(64)}" }
witness: WENDY
material: { source: generate }
backup: [shamir:2-of-3]
keys:
  - { alias: alias/bins/data, keySpec: SYMMETRIC_DEFAULT }
`;

function run(bin: string, argv: readonly string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...argv], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the bins read a plan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'byok-bins-plan-'));
  writeFileSync(join(dir, 'plan.yaml'), PLAN);

  it('byok-online plan check prints the plan code', () => {
    const r = run(BIN.online, ['plan', 'check', 'plan.yaml', '--json'], dir);
    expect(r.stderr).not.toContain('unexpected failure');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { planCode: string }).planCode).toMatch(
      /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/,
    );
  });

  it('byok-offline wrap --plan reads the plan before it refuses what is missing', () => {
    const r = run(
      BIN.offline,
      ['wrap', '--plan', 'plan.yaml', '--request', 'r.json', '--out', 'w.json'],
      dir,
    );
    expect(r.stderr).not.toContain('unexpected failure');
    expect(r.stderr).toContain('Plan code: ');
    expect(r.stderr).toMatch(
      /^byok-offline: error: the plan names 2 operators but 0 --operator-key/m,
    );
    expect(r.code).toBe(1);
  });
});
