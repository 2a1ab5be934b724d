import { describe, expect, it } from 'vitest';
import { prepareImport, type PrepareImportInput } from '../../src/ops/prepare-import.js';
import { FakeKmsPort } from '../helpers/fake-kms-port.js';

const INPUT: Omit<PrepareImportInput, 'keyIds'> = {
  wrappingAlgorithm: undefined,
  wrappingKeySpec: 'RSA_2048',
  operators: ['ALICE', 'BOB'],
  auditLogHead: null,
  now: new Date('2026-12-01T08:00:00Z'),
  ceremonyId: '0b6a3c9e-5d1f-4c2a-9e7b-2f4d6a8c0e1b',
  mode: 'auto',
  keyMaterialId: undefined,
  expectedKcv: () => undefined,
  withReplicas: false,
  importedOnRecord: new Set(),
};

async function newSymmetricKey(kms: FakeKmsPort): Promise<string> {
  const d = await kms.createKey({
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    description: undefined,
    multiRegion: false,
    tags: [],
  });
  return d.arn;
}

describe('prepare lists a symmetric key materials only when it may hold some', () => {
  it('a key DescribeKey shows PendingImport with no current material: no ListKeyRotations, a first import', async () => {
    const kms = new FakeKmsPort();
    const arn = await newSymmetricKey(kms);
    kms.calls.length = 0;
    const { bundle } = await prepareImport(kms, { ...INPUT, keyIds: [arn] });
    expect(kms.calls).toEqual(['DescribeKey', 'GetParametersForImport']);
    expect(bundle.targets[0]).toMatchObject({
      importType: 'NEW_KEY_MATERIAL',
      keyMaterialId: null,
    });
  });

  it('a key that names a current material while PendingImport (its material deleted or expired) is listed, and re-imported', async () => {
    const kms = new FakeKmsPort();
    const arn = await newSymmetricKey(kms);
    const lost = 'a'.repeat(64);
    const key = kms.keys.get(arn)!;
    key.description = { ...key.description, currentKeyMaterialId: lost };
    kms.calls.length = 0;
    const { bundle } = await prepareImport(kms, { ...INPUT, keyIds: [arn] });
    expect(kms.calls).toEqual(['DescribeKey', 'ListKeyRotations', 'GetParametersForImport']);
    expect(bundle.targets[0]).toMatchObject({
      importType: 'EXISTING_KEY_MATERIAL',
      keyMaterialId: lost,
    });
  });

  it("a key this machine's log shows imported is listed, whatever DescribeKey says", async () => {
    const kms = new FakeKmsPort();
    const arn = await newSymmetricKey(kms);
    kms.calls.length = 0;
    await prepareImport(kms, { ...INPUT, keyIds: [arn], importedOnRecord: new Set([arn]) });
    expect(kms.calls).toEqual(['DescribeKey', 'ListKeyRotations', 'GetParametersForImport']);
  });
});
