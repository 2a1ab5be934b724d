import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KeyDescription, KmsPort } from '../../src/kms/kms-port.js';
import { prepareCeremony } from '../../src/ops/prepare-ceremony.js';

const SPKI = new Uint8Array(
  generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
    format: 'der',
    type: 'spki',
  }),
);
const MRK = (n: number) => `mrk-${String(n).padStart(32, '0')}`;
const arnOf = (region: string, n: number) => `arn:aws:kms:${region}:111122223333:key/${MRK(n)}`;

function d(arn: string, extra: Partial<KeyDescription>): KeyDescription {
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
    primaryKeyArn: undefined,
    replicaKeyArns: [],
    ...extra,
  };
}

describe('prepare --with-replicas --concurrency: every Region client opened is closed', () => {
  it('two primaries with replicas in one other Region open that Region once (or close each)', async () => {
    const keys = new Map<string, KeyDescription>();
    for (const n of [1, 2]) {
      keys.set(
        arnOf('eu-west-2', n),
        d(arnOf('eu-west-2', n), {
          multiRegionKeyType: 'PRIMARY',
          replicaKeyArns: [arnOf('us-east-1', n)],
        }),
      );
      keys.set(
        arnOf('us-east-1', n),
        d(arnOf('us-east-1', n), { primaryKeyArn: arnOf('eu-west-2', n) }),
      );
    }
    let opened = 0;
    let closed = 0;
    const port = (region: string, counted: boolean): KmsPort =>
      ({
        region,
        describeKey: (id: string) => Promise.resolve(keys.get(id)!),
        listKeyMaterials: () => Promise.resolve([]),
        getParametersForImport: (id: string) =>
          Promise.resolve({
            keyArn: id,
            publicKey: SPKI,
            importToken: new Uint8Array(1200).fill(1),
            parametersValidTo: new Date('2026-12-02T08:00:00Z'),
          }),
        close: () => {
          if (counted) closed++;
        },
      }) as Partial<KmsPort> as KmsPort;
    const files = new Map<string, string>();
    await prepareCeremony(
      {
        keyIds: [arnOf('eu-west-2', 1), arnOf('eu-west-2', 2)],
        wrappingAlgorithm: undefined,
        wrappingKeySpec: 'RSA_2048',
        operators: ['ALICE', 'BOB'],
        out: '/m/request.json',
        rawDir: undefined,
        mode: 'auto',
        keyMaterialId: undefined,
        expectKcv: new Map(),
        kcvOnRecord: undefined,
        withReplicas: true,
        plan: undefined,
        importedOnRecord: new Set<string>(),
        createdWithoutAlias: new Map<string, string>(),
        concurrency: 4,
      },
      {
        openKms: async (region?: string) => {
          if (region === undefined) return port('eu-west-2', false);
          opened++;
          // Opening a client takes a moment (profile, credentials): long enough for a second caller.
          await new Promise((done) => setTimeout(done, 5));
          return port(region, true);
        },
        now: () => new Date('2026-12-01T08:00:00Z'),
        newCeremonyId: () => '00000000-0000-4000-8000-000000000001',
        logHead: null,
        writer: {
          assertWritable: () => Promise.resolve(),
          write: (path: string, data: string | Uint8Array) => {
            files.set(path, String(data));
            return Promise.resolve();
          },
        },
        writeRawParameters: () => Promise.reject(new Error('not asked for')),
        qr: undefined,
        wait: { sleep: () => Promise.resolve(), budgetMs: 0 },
      },
    );
    expect(files.has('/m/request.json')).toBe(true);
    // A client opened and dropped from the cache is never closed (its sockets keep the process up).
    expect(closed).toBe(opened);
  });
});
