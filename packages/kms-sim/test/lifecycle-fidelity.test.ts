import {
  CreateKeyCommand,
  DescribeKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  RotateKeyOnDemandCommand,
  type KeySpec,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKmsSim, type KmsSim } from '../src/index.js';
import { kmsClient } from './helpers.js';
import { materialFor, usageFor, wrapForKms } from './wrap.js';

let sim: KmsSim;
let kms: KMSClient;
beforeAll(async () => {
  sim = await startKmsSim({ wrappingKeyPool: false, otherRegions: ['us-east-1'] });
  kms = kmsClient(sim);
});
afterAll(async () => {
  kms.destroy();
  await sim.close();
});

async function importedKey(keySpec: KeySpec): Promise<{ arn: string; keyMaterialId: string }> {
  const key = (
    await kms.send(
      new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: keySpec, KeyUsage: usageFor(keySpec) }),
    )
  ).KeyMetadata!;
  const algorithm = keySpec.startsWith('RSA_') ? 'RSA_AES_KEY_WRAP_SHA_256' : 'RSAES_OAEP_SHA_256';
  const parameters = await kms.send(
    new GetParametersForImportCommand({
      KeyId: key.KeyId,
      WrappingAlgorithm: algorithm,
      WrappingKeySpec: 'RSA_2048',
    }),
  );
  // Real import tokens are about 1–1.5 KB.
  expect(parameters.ImportToken!.length).toBeGreaterThanOrEqual(1024);
  expect(parameters.ImportToken!.length).toBeLessThanOrEqual(1536);
  const out = await kms.send(
    new ImportKeyMaterialCommand({
      KeyId: key.KeyId,
      ImportToken: parameters.ImportToken,
      EncryptedKeyMaterial: wrapForKms(parameters.PublicKey!, algorithm, materialFor(keySpec)),
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    }),
  );
  return { arn: key.Arn!, keyMaterialId: out.KeyMaterialId! };
}

describe('what KMS documents, answered as KMS does', () => {
  it('DescribeKey has CurrentKeyMaterialId for symmetric encryption keys only (the service model)', async () => {
    for (const keySpec of ['SYMMETRIC_DEFAULT', 'HMAC_256', 'ECC_NIST_P256'] as const) {
      const { arn, keyMaterialId } = await importedKey(keySpec);
      const metadata = (await kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata!;
      expect(metadata.KeyState).toBe('Enabled');
      if (keySpec === 'SYMMETRIC_DEFAULT')
        expect(metadata.CurrentKeyMaterialId).toBe(keyMaterialId);
      else expect(metadata).not.toHaveProperty('CurrentKeyMaterialId');
    }
  });

  it('RotateKeyOnDemand: 25 rotations per key, then LimitExceededException', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    for (let i = 0; i < 25; i++) await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    await expect(
      kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
    ).rejects.toMatchObject({
      name: 'LimitExceededException',
    });
  });

  it('a key ARN of another Region: NotFoundException "Invalid arn REGION" (as recorded against AWS)', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const foreign = key.Arn!.replace(':eu-west-2:', ':us-east-1:');
    await expect(kms.send(new DescribeKeyCommand({ KeyId: foreign }))).rejects.toMatchObject({
      name: 'NotFoundException',
      message: 'Invalid arn us-east-1',
    });
  });
});
