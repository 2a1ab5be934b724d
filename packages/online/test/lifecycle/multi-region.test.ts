import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  ReplicateKeyCommand,
} from '@aws-sdk/client-kms';
import { REHEARSAL_CREDENTIALS } from '@byok-ceremony/kms-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimEnv, type SimEnv } from '../helpers/sim-env.js';
import { Ceremony } from './ceremony-steps.js';

const REGIONS = ['eu-west-2', 'us-east-1', 'ap-southeast-2'] as const;

let s: SimEnv;
let clients: Map<string, KMSClient>;
beforeAll(async () => {
  s = await startSimEnv({ otherRegions: REGIONS.slice(1) });
  clients = new Map(
    REGIONS.map((region) => [
      region,
      new KMSClient({ region, endpoint: s.sim.url, credentials: REHEARSAL_CREDENTIALS }),
    ]),
  );
});
afterAll(async () => {
  for (const client of clients.values()) client.destroy();
  await s.close();
});

const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:111122223333:key/${keyId}`;

interface Imported {
  keys: { keyArn: string; keyMaterialId: string; keyState: string }[];
  rotated: { keyArn: string; keyMaterialId: string; replicaArns: string[] }[];
}

async function roundTrips(keyId: string): Promise<void> {
  for (const from of REGIONS) {
    const blob = (
      await clients
        .get(from)!
        .send(
          new EncryptCommand({ KeyId: arnIn(from, keyId), Plaintext: Buffer.from(`from ${from}`) }),
        )
    ).CiphertextBlob;
    for (const to of REGIONS) {
      const out = await clients.get(to)!.send(new DecryptCommand({ CiphertextBlob: blob }));
      expect(Buffer.from(out.Plaintext!).toString()).toBe(`from ${from}`);
      expect(out.KeyId).toBe(arnIn(to, keyId));
    }
  }
}

describe('a multi-Region key and its replicas in one ceremony, through the CLIs', () => {
  it('prepare --with-replicas: one material group, each Region its own parameters; import; all decrypt each other; then a rotation of all three', async () => {
    const c = await Ceremony.start(s);
    const primary = await c.createKey(['--multi-region']);
    const keyId = primary.split('/')[1]!;
    for (const region of REGIONS.slice(1))
      await s.kms.send(new ReplicateKeyCommand({ KeyId: primary, ReplicaRegion: region }));

    const prep = await c.prepare('mrk.json', ['--key-id', primary, '--with-replicas']);
    expect(prep.targets.map((t) => [t['keyArn'], t['materialGroup'], t['importType']])).toEqual([
      [primary, 'k1', 'NEW_KEY_MATERIAL'],
      [arnIn('us-east-1', keyId), 'k1', 'EXISTING_KEY_MATERIAL'],
      [arnIn('ap-southeast-2', keyId), 'k1', 'EXISTING_KEY_MATERIAL'],
    ]);
    // Each Region gave its own wrapping key.
    expect(new Set(prep.targets.map((t) => t['wrappingKeyFingerprint'])).size).toBe(3);

    const code = await c.wrap('mrk.json', prep.checkCode, 'mrk-wrapped.json');
    const one = await c.import<Imported>('mrk.json', 'mrk-wrapped.json', code);
    expect(one.keys.map((k) => k.keyState)).toEqual(['Enabled', 'Enabled', 'Enabled']);
    const firstId = one.keys[0]!.keyMaterialId;
    expect(one.keys.every((k) => k.keyMaterialId === firstId)).toBe(true);
    await roundTrips(keyId);
    const old = (
      await clients
        .get('us-east-1')!
        .send(
          new EncryptCommand({ KeyId: arnIn('us-east-1', keyId), Plaintext: Buffer.from('old') }),
        )
    ).CiphertextBlob;

    const rot = await c.prepare('rot.json', [
      '--key-id',
      primary,
      '--with-replicas',
      '--new-material',
    ]);
    expect(rot.targets.map((t) => t['importType'])).toEqual([
      'NEW_KEY_MATERIAL',
      'EXISTING_KEY_MATERIAL',
      'EXISTING_KEY_MATERIAL',
    ]);
    const rotCode = await c.wrap('rot.json', rot.checkCode, 'rot-wrapped.json');
    const two = await c.import<Imported>('rot.json', 'rot-wrapped.json', rotCode, ['--rotate']);
    const newId = two.keys[0]!.keyMaterialId;
    expect(newId).not.toBe(firstId);
    expect(two.rotated).toEqual([
      {
        keyArn: primary,
        keyMaterialId: newId,
        replicaArns: REGIONS.slice(1).map((r) => arnIn(r, keyId)),
      },
    ]);
    for (const region of REGIONS) {
      const d = await clients
        .get(region)!
        .send(new DescribeKeyCommand({ KeyId: arnIn(region, keyId) }));
      expect(d.KeyMetadata?.CurrentKeyMaterialId).toBe(newId);
    }
    await roundTrips(keyId);
    const back = await clients
      .get('ap-southeast-2')!
      .send(new DecryptCommand({ CiphertextBlob: old }));
    expect(Buffer.from(back.Plaintext!).toString()).toBe('old');
    // The record of both ceremonies verifies: the rotation is on record under the primary's
    // ARN, and it covers the replicas of its material group.
    const verified = await c.verifyLogs();
    expect(verified.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(verified.verdict).toBe('VERIFIED');
  });

  it('a key ARN of another Region than --region says so plainly; --with-replicas refuses a key that is not a primary', async () => {
    const c = await Ceremony.start(s);
    const single = await c.createKey();
    const foreign = arnIn('us-east-1', single.split('/')[1]!);
    const r = await c.online(['prepare', '--key-id', foreign, '--out', 'x.json']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `error: --key-id ${foreign} is a key in Region us-east-1, but this command talks to KMS in eu-west-2`,
    );
    expect(r.stderr).toContain('hint: Give --region us-east-1');
    const notPrimary = await c.online([
      'prepare',
      '--key-id',
      single,
      '--with-replicas',
      '--out',
      'x.json',
    ]);
    expect(notPrimary.code).not.toBe(0);
    expect(notPrimary.stderr).toContain('--with-replicas needs a multi-Region primary key');
  });
});
