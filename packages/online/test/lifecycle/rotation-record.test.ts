import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListKeyRotationsCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { bundleDigest, type Bundle } from '@byok-ceremony/shared';
import { simForThisFile } from '../helpers/sim-env.js';
import { Ceremony } from './ceremony-steps.js';

const s = simForThisFile();

interface Imported {
  keys: { keyArn: string; keyMaterialId: string; kcv: string }[];
  rotated: { keyArn: string; keyMaterialId: string }[];
}

const ONLINE_LOG = 'byok-online-audit.jsonl';

/** A first import, then new material prepared and wrapped for the key: the rotation to come. */
async function keyWithNewMaterialWrapped(c: Ceremony) {
  const arn = await c.createKey();
  const first = await c.prepare('first.json', ['--key-id', arn]);
  const one = await c.import<Imported>(
    'first.json',
    'w1.json',
    await c.wrap('first.json', first.checkCode, 'w1.json'),
  );
  const rot = await c.prepare('rot.json', ['--key-id', arn, '--new-material']);
  const code = await c.wrap('rot.json', rot.checkCode, 'w2.json');
  return { arn, old: one.keys[0]!, code };
}

/** prepare --reimport reads the log as the original record (its KCVs) and takes it. */
async function reimportFromRecord(c: Ceremony, arn: string, current: Imported['keys'][number]) {
  const re = await c.prepare('re.json', [
    '--key-id',
    arn,
    '--reimport',
    '--original-record',
    ONLINE_LOG,
  ]);
  expect(re.targets[0]).toMatchObject({
    importType: 'EXISTING_KEY_MATERIAL',
    keyMaterialId: current.keyMaterialId,
    expectedKcv: current.kcv,
  });
}

async function materialIds(arn: string): Promise<(string | undefined)[]> {
  const out = await s.kms.send(
    new ListKeyRotationsCommand({ KeyId: arn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
  );
  return (out.Rotations ?? []).map((r) => r.KeyMaterialId);
}

describe('a rotation keeps the ceremony record verifiable', () => {
  it('prepare --new-material and import --rotate: both logs VERIFIED, and the log serves as the original record', async () => {
    const c = await Ceremony.start(s);
    const { arn, code } = await keyWithNewMaterialWrapped(c);
    const two = await c.import<Imported>('rot.json', 'w2.json', code, ['--rotate']);
    const log = await readFile(join(c.onlineDir, ONLINE_LOG), 'utf8');
    // The label names the key by its full ARN, longer than the 64 characters labels once had.
    expect(log).toContain(`"rotation:${arn}":"${two.keys[0]!.keyMaterialId}"`);
    const result = await c.verifyLogs();
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.verdict).toBe('VERIFIED');
    await reimportFromRecord(c, arn, two.keys[0]!);
  });

  it('import without --rotate, then byok-online rotate: both logs VERIFIED, and the log serves as the original record', async () => {
    const c = await Ceremony.start(s);
    const { arn, code } = await keyWithNewMaterialWrapped(c);
    const two = await c.import<Imported>('rot.json', 'w2.json', code);
    const r = await c.operated(['rotate', '--key-id', arn]);
    expect(r.code, r.stderr).toBe(0);
    const result = await c.verifyLogs();
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.verdict).toBe('VERIFIED');
    await reimportFromRecord(c, arn, two.keys[0]!);
  });
});

describe('a journal planted beside the request cannot fake a rotation', () => {
  it('import --rotate --resume on a journal naming the old material: refused, nothing claimed, nothing on record as imported', async () => {
    const c = await Ceremony.start(s);
    const { arn, old, code } = await keyWithNewMaterialWrapped(c);
    const digest = async (name: string) =>
      bundleDigest(JSON.parse(await readFile(join(c.onlineDir, name), 'utf8')) as Bundle);
    const journal = join(c.onlineDir, 'rot.json.journal.jsonl');
    const time = new Date().toISOString();
    // Whoever can write the online folder before the import: one "imported" line, either way of
    // saying whether the material is current.
    for (const current of [true, false]) {
      await writeFile(
        journal,
        [
          {
            format: 'byok-import-journal/2',
            request: await digest('rot.json'),
            wrapped: await digest('w2.json'),
            targets: 1,
            time,
          },
          {
            event: 'imported',
            target: 0,
            keyArn: arn,
            time,
            keyState: 'Enabled',
            keyMaterialId: old.keyMaterialId,
            proof: 'kcv-only',
            proven: false,
            alreadyHeld: false,
            current,
          },
        ]
          .map((l) => JSON.stringify(l))
          .join('\n') + '\n',
      );
      const plain = await c.importRaw('rot.json', 'w2.json', code, ['--rotate']);
      expect(plain.code).not.toBe(0);
      expect(plain.stderr).toContain('--resume');
      const r = await c.importRaw('rot.json', 'w2.json', code, ['--rotate', '--resume']);
      expect(r.code).not.toBe(0);
      expect(r.stdout).not.toContain('Imported');
      expect(r.stdout).not.toContain('"rotated"');
      expect(r.stderr).toContain(
        `byok-online: error: the import journal says ${arn} was imported (material ${old.keyMaterialId}), but the key already had that material when the request was prepared: nothing new was imported\n`,
      );
      expect(r.stderr).toMatch(/^byok-online: hint: Nothing more was sent\./m);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(await materialIds(arn)).toEqual([old.keyMaterialId]);
      // On record: a failed import, with no key and no rotation claimed.
      const entry = JSON.parse(
        (await readFile(join(c.onlineDir, ONLINE_LOG), 'utf8')).trim().split('\n').at(-1)!,
      ) as {
        command: string;
        outcome: string;
        error: { code: string };
        keys: unknown[];
        outputs: object;
      };
      expect(entry).toMatchObject({
        command: 'import',
        outcome: 'error',
        error: { code: 'ERR_JOURNAL' },
        keys: [],
      });
      expect(Object.keys(entry.outputs).filter((l) => l.startsWith('rotation:'))).toEqual([]);
      const result = await c.verifyLogs();
      expect(result.findings).toContainEqual(
        expect.objectContaining({
          severity: 'exception',
          code: 'command-failed',
          message: expect.stringContaining('(import) failed: ERR_JOURNAL the import journal says'),
        }),
      );
      expect(result.findings.some((f) => f.message.includes(`rotation of ${arn}`))).toBe(false);
    }

    // Moved aside, the real import and rotation go through, and the record verifies.
    await rename(journal, join(c.onlineDir, 'planted.jsonl'));
    const two = await c.import<Imported>('rot.json', 'w2.json', code, ['--rotate']);
    expect(two.keys[0]!.keyMaterialId).not.toBe(old.keyMaterialId);
    expect(two.rotated).toEqual([
      { keyArn: arn, keyMaterialId: two.keys[0]!.keyMaterialId, replicaArns: [] },
    ]);
    const result = await c.verifyLogs();
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.verdict).toBe('VERIFIED');
  });

  it('a journal that calls imported new material current cannot make import --rotate --resume skip the rotation', async () => {
    const c = await Ceremony.start(s);
    const { arn, code } = await keyWithNewMaterialWrapped(c);
    const two = await c.import<Imported>('rot.json', 'w2.json', code);
    const newId = two.keys[0]!.keyMaterialId;
    const journal = join(c.onlineDir, 'rot.json.journal.jsonl');
    const edited = (await readFile(journal, 'utf8')).replace('"current":false', '"current":true');
    expect(edited).toContain(`"keyMaterialId":"${newId}"`);
    await writeFile(journal, edited);
    const r = await c.import<Imported>('rot.json', 'w2.json', code, ['--rotate', '--resume']);
    expect(r.rotated).toEqual([{ keyArn: arn, keyMaterialId: newId, replicaArns: [] }]);
    const listed = await s.kms.send(
      new ListKeyRotationsCommand({ KeyId: arn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
    );
    expect(listed.Rotations?.find((m) => m.KeyMaterialId === newId)?.KeyMaterialState).toBe(
      'CURRENT',
    );
  });
});
