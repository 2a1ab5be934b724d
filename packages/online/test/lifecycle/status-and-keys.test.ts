import { ListAliasesCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimEnv, type SimEnv } from '../helpers/sim-env.js';
import { Ceremony } from './ceremony-steps.js';

let s: SimEnv;
beforeAll(async () => {
  s = await startSimEnv();
});
afterAll(async () => {
  await s.close();
});

const DAY = 86_400_000;

describe('status for monitoring, create-key --count', () => {
  it('create-key --count 3 --alias-prefix: three keys, three aliases; the help lists only importable key specs', async () => {
    const c = await Ceremony.start(s);
    const r = await c.online([
      'create-key',
      '--count',
      '3',
      '--alias-prefix',
      'alias/tenant-',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { keys } = JSON.parse(r.stdout) as { keys: { arn: string; alias: string }[] };
    expect(keys.map((k) => k.alias)).toEqual([
      'alias/tenant-1',
      'alias/tenant-2',
      'alias/tenant-3',
    ]);
    const aliases = await s.kms.send(new ListAliasesCommand({}));
    for (const key of keys)
      expect(aliases.Aliases?.find((a) => a.AliasName === key.alias)?.TargetKeyId).toBe(
        key.arn.split('/')[1],
      );
    const bad = await c.online(['create-key', '--count', '2', '--alias', 'one']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--alias names one key, but --count makes several');
    const help = await c.online(['create-key', '--help']);
    expect(help.stdout).not.toContain('ML_DSA_44');
    expect(help.stdout).toContain('ECC_SECG_P256K1');
  });

  it('lists every key and material; --warn-days exits 1 inside the window and 0 outside; --all-external finds them', async () => {
    const c = await Ceremony.start(s);
    const soon = await c.createKey();
    const never = await c.createKey(['--key-spec', 'HMAC_256']);
    const prep = await c.prepare('r.json', ['--key-id', soon, '--key-id', never]);
    const code = await c.wrap('r.json', prep.checkCode, 'w.json');
    // Material of the first key expires in 5 days; the HMAC key's never does (import flags apply to all, so two imports).
    const validTo = new Date(Date.now() + 5 * DAY).toISOString();
    const imp = await c.importRaw('r.json', 'w.json', code, ['--valid-to', validTo]);
    expect(imp.code, imp.stderr).toBe(0);

    const listed = await c.online(['status', '--key-id', soon, '--key-id', never, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const report = JSON.parse(listed.stdout) as {
      keys: {
        keyArn: string;
        keyMaterials: { keyMaterialState: string; importState: string; validTo: string }[] | null;
      }[];
    };
    expect(report.keys.map((k) => k.keyArn)).toEqual([soon, never]);
    expect(report.keys[0]!.keyMaterials).toEqual([
      expect.objectContaining({ keyMaterialState: 'CURRENT', importState: 'IMPORTED' }),
    ]);
    // Warned about by default (30 days), exit 0 without --warn-days.
    expect(listed.stderr).toContain(`warning: ${soon} material`);

    const inside = await c.online(['status', '--key-id', soon, '--warn-days', '10']);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/expires .* \(in 4 day\(s\)\)/);
    expect(inside.stderr).toContain('error: 1 key material(s) expire within 10 day(s)');
    expect(inside.stdout).toContain(soon);

    const outside = await c.online(['status', '--key-id', soon, '--warn-days', '2']);
    expect(outside.code, outside.stderr).toBe(0);

    const all = await c.online(['status', '--all-external', '--warn-days', '2', '--json']);
    expect(all.code, all.stderr).toBe(0);
    const arns = (JSON.parse(all.stdout) as { keys: { keyArn: string }[] }).keys.map(
      (k) => k.keyArn,
    );
    expect(arns).toEqual(expect.arrayContaining([soon, never]));

    // Deleted material awaits re-import: that fails a monitor too.
    expect((await c.operated(['delete-material', '--key-id', soon])).code).toBe(0);
    const deleted = await c.online(['status', '--key-id', soon, '--warn-days', '2']);
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toContain('has expired or was deleted: it awaits re-import');
  });
});
