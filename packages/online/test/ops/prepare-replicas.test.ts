import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KeyDescription, KmsPort } from '../../src/kms/kms-port.js';
import { prepareImport, type PrepareImportInput } from '../../src/ops/prepare-import.js';

const SPKI = new Uint8Array(
  generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
    format: 'der',
    type: 'spki',
  }),
);
const MRK = 'mrk-1234abcd12ab34cd56ef1234567890ab';
const PRIMARY = `arn:aws:kms:eu-west-2:111122223333:key/${MRK}`;

function description(arn: string, extra: Partial<KeyDescription>): KeyDescription {
  return {
    keyId: arn.split('/')[1]!,
    arn,
    keyState: 'PendingImport',
    origin: 'EXTERNAL',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    description: undefined,
    expirationModel: undefined,
    validTo: undefined,
    currentKeyMaterialId: undefined,
    multiRegion: true,
    multiRegionKeyType: 'REPLICA',
    primaryKeyArn: PRIMARY,
    replicaKeyArns: [],
    ...extra,
  };
}

/** Every Region's KMS answers from one table of descriptions, as a spoofing endpoint would. */
function kmsIn(region: string, keys: Map<string, KeyDescription>, asked: string[]): KmsPort {
  const find = (id: string) => {
    const d = keys.get(id);
    if (d === undefined) throw new Error(`no ${id}`);
    return d;
  };
  return {
    region,
    describeKey: (id: string) => Promise.resolve(find(id)),
    listKeyMaterials: () => Promise.resolve([]),
    getParametersForImport: (id: string) => {
      asked.push(id);
      return Promise.resolve({
        keyArn: find(id).arn,
        publicKey: SPKI,
        importToken: new Uint8Array(1200).fill(7),
        parametersValidTo: new Date('2026-12-02T08:00:00Z'),
      });
    },
    close: () => undefined,
  } as Partial<KmsPort> as KmsPort;
}

const INPUT: PrepareImportInput = {
  keyIds: [PRIMARY],
  wrappingAlgorithm: undefined,
  wrappingKeySpec: 'RSA_2048',
  operators: ['ALICE', 'BOB'],
  auditLogHead: null,
  now: new Date('2026-12-01T08:00:00Z'),
  ceremonyId: '0b6a3c9e-5d1f-4c2a-9e7b-2f4d6a8c0e1b',
  mode: 'auto',
  keyMaterialId: undefined,
  expectedKcv: () => undefined,
  withReplicas: true,
  importedOnRecord: new Set(),
};

async function prepareWith(replicas: KeyDescription[]) {
  const keys = new Map<string, KeyDescription>([
    [
      PRIMARY,
      description(PRIMARY, {
        multiRegionKeyType: 'PRIMARY',
        primaryKeyArn: PRIMARY,
        replicaKeyArns: replicas.map((r) => r.arn),
      }),
    ],
    ...replicas.map((r) => [r.arn, r] as const),
  ]);
  const asked: string[] = [];
  const run = prepareImport(kmsIn('eu-west-2', keys, asked), INPUT, (region) =>
    Promise.resolve(kmsIn(region, keys, asked)),
  );
  return { run, asked };
}

describe('prepare --with-replicas: which listed replicas take the material', () => {
  it('refuses a listed replica in another account (KMS replicas share the primary account)', async () => {
    const foreign = `arn:aws:kms:us-east-1:999999999999:key/${MRK}`;
    const { run, asked } = await prepareWith([description(foreign, {})]);
    await run.catch(() => undefined);
    // The customer's material would be wrapped to a wrapping key of account 999999999999.
    expect(asked).toEqual([]);
    await expect(run).rejects.toMatchObject({ code: 'ERR_KEY_NOT_IMPORTABLE' });
    await expect(run).rejects.toThrow(/not this key in another Region/);
  });

  it('refuses a listed "replica" whose own description is another key, not a replica of this primary', async () => {
    const stranger = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { run } = await prepareWith([
      description(stranger, {
        multiRegion: false,
        multiRegionKeyType: undefined,
        primaryKeyArn: undefined,
      }),
    ]);
    await expect(run).rejects.toThrow(/is not this key in another Region/);
  });

  it('refuses a replica ARN whose own description names another primary', async () => {
    const replica = `arn:aws:kms:us-east-1:111122223333:key/${MRK}`;
    const { run, asked } = await prepareWith([
      description(replica, {
        primaryKeyArn: `arn:aws:kms:ap-south-1:111122223333:key/${MRK}`,
      }),
    ]);
    await expect(run).rejects.toThrow(/does not describe itself as a replica of/);
    expect(asked).toEqual([]);
  });

  it('takes a replica that is the primary in another Region and says so itself', async () => {
    const replica = `arn:aws:kms:us-east-1:111122223333:key/${MRK}`;
    const { run, asked } = await prepareWith([description(replica, {})]);
    const prepared = await run;
    expect(asked).toEqual([PRIMARY, replica]);
    expect(prepared.bundle.targets.map((t) => [t.materialGroup, t.importType])).toEqual([
      ['k1', 'NEW_KEY_MATERIAL'],
      ['k1', 'EXISTING_KEY_MATERIAL'],
    ]);
  });

  it('refuses an unbounded replica list (500 invented Regions) before opening any KMS client', async () => {
    const replicas = Array.from({ length: 500 }, (_, i) =>
      description(`arn:aws:kms:xx-fake-${i}:111122223333:key/${MRK}`, {}),
    );
    const keys = new Map<string, KeyDescription>([
      [
        PRIMARY,
        description(PRIMARY, {
          multiRegionKeyType: 'PRIMARY',
          primaryKeyArn: PRIMARY,
          replicaKeyArns: replicas.map((r) => r.arn),
        }),
      ],
      ...replicas.map((r) => [r.arn, r] as const),
    ]);
    const opened: string[] = [];
    const run = prepareImport(kmsIn('eu-west-2', keys, []), INPUT, (region) => {
      opened.push(region);
      return Promise.resolve(kmsIn(region, keys, []));
    });
    await run.catch(() => undefined);
    // AWS has fewer than 48 Regions and one replica per Region: a longer list is not KMS's answer.
    expect(opened).toEqual([]);
    await expect(run).rejects.toThrow(/500 replicas/);
  });
});
