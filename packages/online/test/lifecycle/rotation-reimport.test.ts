import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListKeyRotationsCommand,
} from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { simForThisFile } from '../helpers/sim-env.js';
import { Ceremony } from './ceremony-steps.js';

const s = simForThisFile();

interface Imported {
  keys: { keyArn: string; keyMaterialId: string; keyState: string; kcv: string }[];
  rotated: { keyArn: string; keyMaterialId: string }[];
  pendingRotation: { keyArn: string; keyMaterialId: string }[];
}

async function materials(arn: string) {
  const out = await s.kms.send(
    new ListKeyRotationsCommand({ KeyId: arn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
  );
  return (out.Rotations ?? []).map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.ImportState]);
}

async function encrypt(arn: string, text: string): Promise<Uint8Array> {
  const out = await s.kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from(text) }));
  return out.CiphertextBlob!;
}

async function decrypt(blob: Uint8Array): Promise<string> {
  const out = await s.kms.send(new DecryptCommand({ CiphertextBlob: blob }));
  return Buffer.from(out.Plaintext!).toString();
}

describe('rotation with imported material, through the CLIs', () => {
  it('prepare --new-material, wrap, import --rotate: two materials, the new one CURRENT, old ciphertexts decrypt', async () => {
    const c = await Ceremony.start(s);
    const arn = await c.createKey();
    const first = await c.prepare('first.json', ['--key-id', arn]);
    expect(first.targets[0]).toMatchObject({ importType: 'NEW_KEY_MATERIAL', keyMaterialId: null });
    const firstCode = await c.wrap('first.json', first.checkCode, 'first-wrapped.json');
    const one = await c.import<Imported>('first.json', 'first-wrapped.json', firstCode);
    const oldId = one.keys[0]!.keyMaterialId;
    expect(one.rotated).toEqual([]);
    expect(one.pendingRotation).toEqual([]);
    const before = await encrypt(arn, 'made before the rotation');

    const rot = await c.prepare('rotate.json', ['--key-id', arn, '--new-material']);
    expect(rot.targets[0]).toMatchObject({ importType: 'NEW_KEY_MATERIAL', keyMaterialId: null });
    const request = JSON.parse(await readFile(join(c.onlineDir, 'rotate.json'), 'utf8')) as {
      version: number;
      targets: { importType: string }[];
    };
    expect(request.version).toBe(3);
    const rotCode = await c.wrap('rotate.json', rot.checkCode, 'rotate-wrapped.json');
    const two = await c.import<Imported>('rotate.json', 'rotate-wrapped.json', rotCode, [
      '--rotate',
    ]);
    const newId = two.keys[0]!.keyMaterialId;
    expect(newId).not.toBe(oldId);
    expect(two.rotated).toEqual([expect.objectContaining({ keyArn: arn, keyMaterialId: newId })]);

    expect(await materials(arn)).toEqual(
      expect.arrayContaining([
        [oldId, 'NON_CURRENT', 'IMPORTED'],
        [newId, 'CURRENT', 'IMPORTED'],
      ]),
    );
    expect(await materials(arn)).toHaveLength(2);
    const described = await s.kms.send(new DescribeKeyCommand({ KeyId: arn }));
    expect(described.KeyMetadata?.CurrentKeyMaterialId).toBe(newId);
    expect(await decrypt(before)).toBe('made before the rotation');
    expect(await decrypt(await encrypt(arn, 'after'))).toBe('after');

    // The audit entry of import names the rotation.
    const log = (await readFile(join(c.onlineDir, 'byok-online-audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { command: string; outputs: Record<string, string> });
    expect(log.at(-1)!.command).toBe('import');
    expect(log.at(-1)!.outputs[`rotation:${arn}`]).toBe(newId);
  });

  it('import without --rotate leaves the material pending; byok-online rotate finishes; refusals come before KMS', async () => {
    const c = await Ceremony.start(s);
    const arn = await c.createKey();
    const first = await c.prepare('first.json', ['--key-id', arn]);
    await c.import('first.json', 'w1.json', await c.wrap('first.json', first.checkCode, 'w1.json'));

    const rot = await c.prepare('rotate.json', ['--key-id', arn, '--new-material']);
    const code = await c.wrap('rotate.json', rot.checkCode, 'w2.json');
    const two = await c.import<Imported>('rotate.json', 'w2.json', code);
    const newId = two.keys[0]!.keyMaterialId;
    expect(two.pendingRotation).toEqual([{ keyArn: arn, keyMaterialId: newId }]);
    expect(await materials(arn)).toContainEqual([newId, 'PENDING_ROTATION', 'IMPORTED']);

    // A second rotation while one is pending: refused before any GetParametersForImport.
    const again = await c.online(['prepare', '--key-id', arn, '--new-material', '--out', 'x.json']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already has material [0-9a-f]{64} pending rotation/);

    const r = await c.operated(['rotate', '--key-id', arn, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      rotated: [{ keyArn: arn, keyMaterialId: newId, replicaArns: [] }],
    });
    const described = await s.kms.send(new DescribeKeyCommand({ KeyId: arn }));
    expect(described.KeyMetadata?.CurrentKeyMaterialId).toBe(newId);

    const nothing = await c.operated(['rotate', '--key-id', arn]);
    expect(nothing.code).not.toBe(0);
    expect(nothing.stderr).toContain('has no imported material pending rotation');
  });

  it('refuses --new-material for HMAC keys and keys without material, naming each, before KMS is asked for parameters', async () => {
    const c = await Ceremony.start(s);
    const hmac = await c.createKey(['--key-spec', 'HMAC_256']);
    const fresh = await c.createKey();
    const r = await c.online([
      'prepare',
      '--key-id',
      hmac,
      '--key-id',
      fresh,
      '--new-material',
      '--out',
      'x.json',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `${hmac}: is HMAC_256: only symmetric encryption keys take new material`,
    );
    expect(r.stderr).toContain(`${fresh}: holds no material yet`);
  });
});

describe('re-import of the same material, through the CLIs', () => {
  it('after DeleteImportedKeyMaterial and after expiry: the same KeyMaterialId, the KCV checked offline', async () => {
    const c = await Ceremony.start(s);
    const arn = await c.createKey();
    const material = await c.materialFile('material.bin');
    const first = await c.prepare('first.json', ['--key-id', arn]);
    const code = await c.wrap('first.json', first.checkCode, 'w1.json', [
      '--material-file',
      material,
    ]);
    const one = await c.import<Imported>('first.json', 'w1.json', code);
    const { keyMaterialId, kcv } = one.keys[0]!;
    const before = await encrypt(arn, 'kept across re-imports');

    const del = await c.operated(['delete-material', '--key-id', arn, '--json']);
    expect(del.code, del.stderr).toBe(0);
    expect(JSON.parse(del.stdout)).toEqual({
      keyArn: arn,
      keyMaterialId,
      keyState: 'PendingImport',
    });

    // A record that is not there is refused, never read as a record without KCVs.
    const missing = await c.online([
      'prepare',
      '--key-id',
      arn,
      '--reimport',
      '--original-record',
      'no-such-log.jsonl',
      '--out',
      'never.json',
      '--operator',
      'ALICE',
      '--operator',
      'BOB',
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/error: original record .*no-such-log\.jsonl does not exist/);

    // The KCV comes from the original ceremony's record (this machine's log has the import entry).
    const re = await c.prepare('re.json', [
      '--key-id',
      arn,
      '--reimport',
      '--original-record',
      'byok-online-audit.jsonl',
    ]);
    expect(re.targets[0]).toMatchObject({
      importType: 'EXISTING_KEY_MATERIAL',
      keyMaterialId,
      expectedKcv: kcv,
    });

    // Other material: refused offline, before anything is wrapped; generating is refused too.
    const other = await c.materialFile('other.bin');
    const wrong = await c.wrapRaw('re.json', re.checkCode, 'bad.json', ['--material-file', other]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/the material is not the original one/);
    expect(wrong.stderr).toContain(`but the original material's is ${kcv}`);
    const generated = await c.wrapRaw('re.json', re.checkCode, 'bad.json', ['--no-backup']);
    expect(generated.code).not.toBe(0);
    expect(generated.stderr).toContain('new material would be refused by KMS');

    const reCode = await c.wrap('re.json', re.checkCode, 'w2.json', ['--material-file', material]);
    const two = await c.import<Imported>('re.json', 'w2.json', reCode);
    expect(two.keys[0]).toMatchObject({ keyMaterialId, keyState: 'Enabled' });
    expect(await decrypt(before)).toBe('kept across re-imports');

    // Expiry: material valid for a day, the simulator's clock moved past it.
    const exp = await c.prepare('exp.json', [
      '--key-id',
      arn,
      '--reimport',
      '--expect-kcv',
      `${arn}=${kcv}`,
    ]);
    const expCode = await c.wrap('exp.json', exp.checkCode, 'w3.json', [
      '--material-file',
      material,
    ]);
    const validTo = new Date(s.sim.now().getTime() + 86_400_000).toISOString();
    await c.import('exp.json', 'w3.json', expCode, ['--valid-to', validTo]);
    s.sim.advanceClock(2 * 86_400);
    const expired = await s.kms.send(new DescribeKeyCommand({ KeyId: arn }));
    expect(expired.KeyMetadata?.KeyState).toBe('PendingImport');

    const after = await c.prepare('after.json', [
      '--key-id',
      arn,
      '--reimport',
      '--expect-kcv',
      `${arn}=${kcv}`,
    ]);
    expect(after.targets[0]).toMatchObject({ keyMaterialId, expectedKcv: kcv });
    const afterCode = await c.wrap('after.json', after.checkCode, 'w4.json', [
      '--material-file',
      material,
    ]);
    const four = await c.import<Imported>('after.json', 'w4.json', afterCode);
    expect(four.keys[0]).toMatchObject({ keyMaterialId, keyState: 'Enabled' });
    expect(await decrypt(before)).toBe('kept across re-imports');
  });
});

describe('re-import into an HMAC key, whose materials KMS does not list', () => {
  it('after its material was deleted, plain prepare is a re-import (this log holds the import): generating is refused, the original goes back', async () => {
    const c = await Ceremony.start(s);
    const hmac = await c.createKey(['--key-spec', 'HMAC_256']);
    const material = await c.materialFile('hmac.bin');
    const prep = await c.prepare('r.json', ['--key-id', hmac]);
    expect(prep.targets[0]).toMatchObject({ importType: 'NEW_KEY_MATERIAL' });
    const code = await c.wrap('r.json', prep.checkCode, 'w.json', ['--material-file', material]);
    expect((await c.importRaw('r.json', 'w.json', code)).code).toBe(0);
    expect((await c.operated(['delete-material', '--key-id', hmac])).code).toBe(0);

    // DescribeKey shows no CurrentKeyMaterialId for HMAC keys: only the log says it held material.
    const again = await c.prepare('again.json', ['--key-id', hmac]);
    expect(again.targets[0]).toMatchObject({ importType: 'EXISTING_KEY_MATERIAL' });
    const generated = await c.wrapRaw('again.json', again.checkCode, 'w2.json', ['--no-backup']);
    // Fresh material can never go into this key (KMS takes only the original back).
    expect(generated.code).not.toBe(0);
    expect(generated.stderr).toContain('new material would be refused by KMS');

    const reCode = await c.wrap('again.json', again.checkCode, 'w3.json', [
      '--material-file',
      material,
    ]);
    const back = await c.import<Imported>('again.json', 'w3.json', reCode);
    expect(back.keys[0]).toMatchObject({ keyArn: hmac, keyState: 'Enabled' });
  });
});

describe('rotate and delete-material change key material: two operators, as import', () => {
  it('refuses either with no --operator before the log or KMS; --single-operator is on record', async () => {
    const c = await Ceremony.start(s);
    const arn = await c.createKey();
    const prep = await c.prepare('r.json', ['--key-id', arn]);
    const code = await c.wrap('r.json', prep.checkCode, 'w.json');
    expect((await c.importRaw('r.json', 'w.json', code)).code).toBe(0);
    const log = join(c.onlineDir, 'byok-online-audit.jsonl');
    const logged = await readFile(log, 'utf8');

    for (const command of ['delete-material', 'rotate']) {
      const alone = await c.online([command, '--key-id', arn]);
      expect(alone.code).not.toBe(0);
      expect(alone.stderr).toContain('byok-online: error: two operators are required, got 0');
      expect(alone.stderr).toMatch(/^byok-online: hint: Name both operators/m);
    }
    // Refused with the arguments: no entry, and the key still holds its material.
    expect(await readFile(log, 'utf8')).toBe(logged);
    const status = await c.online(['status', '--key-id', arn, '--json']);
    expect((JSON.parse(status.stdout) as { keyState: string }).keyState).toBe('Enabled');

    const rehearsal = await c.online([
      'delete-material',
      '--key-id',
      arn,
      '--operator',
      'ALICE',
      '--single-operator',
    ]);
    expect(rehearsal.code, rehearsal.stderr).toBe(0);
    const entry = JSON.parse((await readFile(log, 'utf8')).trimEnd().split('\n').at(-1)!) as {
      command: string;
      operators: string[];
      exceptions: string[];
    };
    expect(entry).toMatchObject({
      command: 'delete-material',
      operators: ['ALICE'],
      exceptions: ['single-operator'],
    });
  });
});
