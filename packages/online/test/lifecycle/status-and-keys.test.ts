import { ListAliasesCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { simForThisFile } from '../helpers/sim-env.js';
import { Ceremony } from './ceremony-steps.js';

const s = simForThisFile();

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

    // A key never imported awaits import: --all-external finds it, and a monitor fails on it.
    const fresh = await c.createKey();
    const all = await c.online(['status', '--all-external', '--warn-days', '2', '--json']);
    expect(all.code, all.stderr).toBe(1);
    const whole = JSON.parse(all.stdout) as {
      keys: { keyArn: string }[];
      expiring: { keyArn: string; kind: string }[];
    };
    expect(whole.keys.map((k) => k.keyArn)).toEqual(expect.arrayContaining([soon, never, fresh]));
    expect(whole.expiring).toContainEqual(
      expect.objectContaining({ keyArn: fresh, kind: 'awaits-import', mayHaveHeldMaterial: false }),
    );
    expect(whole.expiring.map((f) => f.keyArn)).not.toContain(soon);
    expect(whole.expiring.map((f) => f.keyArn)).not.toContain(never);
    expect(all.stderr).toContain(`warning: ${fresh} awaits its first import`);

    // Deleted material awaits re-import: that fails a monitor too.
    expect((await c.operated(['delete-material', '--key-id', soon])).code).toBe(0);
    const deleted = await c.online(['status', '--key-id', soon, '--warn-days', '2']);
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toContain('has expired or was deleted: it awaits re-import');
  });

  it('an HMAC key whose material was deleted awaits import: the monitor exits non-zero', async () => {
    const c = await Ceremony.start(s);
    const hmac = await c.createKey(['--key-spec', 'HMAC_256']);
    const prep = await c.prepare('r.json', ['--key-id', hmac]);
    const code = await c.wrap('r.json', prep.checkCode, 'w.json');
    const imp = await c.importRaw('r.json', 'w.json', code);
    expect(imp.code, imp.stderr).toBe(0);

    const before = await c.online(['status', '--key-id', hmac, '--warn-days', '2']);
    expect(before.code, before.stderr).toBe(0);

    const del = await c.operated(['delete-material', '--key-id', hmac]);
    expect(del.code, del.stderr).toBe(0);
    const shown = await c.online(['status', '--key-id', hmac, '--json']);
    expect((JSON.parse(shown.stdout) as { keyState: string }).keyState).toBe('PendingImport');

    // KMS lists no materials of an HMAC key, yet it cannot be used until the same one is back.
    const after = await c.online(['status', '--key-id', hmac, '--warn-days', '2']);
    expect(after.code, after.stderr).toBe(1);
    expect(after.stderr).toContain(
      `warning: ${hmac} awaits import (never imported, or its material was deleted or expired`,
    );
  });

  it('a key pending deletion is a finding, and --all-external lists it', async () => {
    const c = await Ceremony.start(s);
    const arn = await c.createKey();
    const prep = await c.prepare('r.json', ['--key-id', arn]);
    const code = await c.wrap('r.json', prep.checkCode, 'w.json');
    expect((await c.importRaw('r.json', 'w.json', code)).code).toBe(0);
    await s.kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));

    const one = await c.online(['status', '--key-id', arn, '--warn-days', '2']);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain(`warning: ${arn} is PendingDeletion`);
    const all = await c.online(['status', '--all-external', '--json']);
    expect(all.code, all.stderr).toBe(0);
    const report = JSON.parse(all.stdout) as {
      keys: { keyArn: string; keyState: string }[];
      expiring: { keyArn: string; kind: string }[];
    };
    expect(report.keys).toContainEqual(
      expect.objectContaining({ keyArn: arn, keyState: 'PendingDeletion' }),
    );
    expect(report.expiring).toContainEqual(
      expect.objectContaining({ keyArn: arn, kind: 'pending-deletion' }),
    );
  });
});
