import {
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  KMSClient,
  ListKeyRotationsCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
} from '@aws-sdk/client-kms';
import type { ImportKeyMaterialCommandInput, KeySpec } from '@aws-sdk/client-kms';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REHEARSAL_CREDENTIALS, startKmsSim } from '../src/index.js';
import type { KmsSim } from '../src/index.js';
import { FIXTURE_WRAPPING_KEY_POOL, kmsClient } from './helpers.js';
import { materialFor, usageFor, wrapForKms } from './wrap.js';

describe('import lifecycle: expiry, deletion, re-import, rotation, replicas', () => {
  let sim: KmsSim;
  let kms: KMSClient;

  beforeAll(async () => {
    sim = await startKmsSim({
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
      otherRegions: ['us-east-1'],
    });
    kms = kmsClient(sim);
  });
  afterAll(async () => {
    kms.destroy();
    await sim.close();
  });

  async function importInto(
    keyId: string,
    material: Buffer,
    extra: Partial<ImportKeyMaterialCommandInput> = {},
    algorithm: 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_256' = 'RSAES_OAEP_SHA_256',
    client: KMSClient = kms,
  ) {
    const kms = client;
    const parameters = await kms.send(
      new GetParametersForImportCommand({
        KeyId: keyId,
        WrappingAlgorithm: algorithm,
        WrappingKeySpec: 'RSA_2048',
      }),
    );
    return kms.send(
      new ImportKeyMaterialCommand({
        KeyId: keyId,
        ImportToken: parameters.ImportToken,
        EncryptedKeyMaterial: wrapForKms(parameters.PublicKey!, algorithm, material),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        ...extra,
      }),
    );
  }
  const newKey = async (keySpec: KeySpec = 'SYMMETRIC_DEFAULT', multiRegion = false) =>
    (
      await kms.send(
        new CreateKeyCommand({
          Origin: 'EXTERNAL',
          KeySpec: keySpec,
          KeyUsage: usageFor(keySpec),
          MultiRegion: multiRegion,
        }),
      )
    ).KeyMetadata!;
  const stateOf = async (keyId: string) =>
    (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;

  it('refuses material of the wrong size or type with IncorrectKeyMaterialException', async () => {
    const symmetric = await newKey();
    await expect(importInto(symmetric.KeyId!, randomBytes(16))).rejects.toMatchObject({
      name: 'IncorrectKeyMaterialException',
    });
    const hmac = await newKey('HMAC_384');
    await expect(importInto(hmac.KeyId!, randomBytes(32))).rejects.toMatchObject({
      name: 'IncorrectKeyMaterialException',
    });
    await expect(importInto(hmac.KeyId!, randomBytes(129))).rejects.toMatchObject({
      name: 'IncorrectKeyMaterialException',
    });
    const p384 = await newKey('ECC_NIST_P384');
    await expect(
      importInto(p384.KeyId!, materialFor('ECC_NIST_P256'), {}, 'RSA_AES_KEY_WRAP_SHA_256'),
    ).rejects.toMatchObject({ name: 'IncorrectKeyMaterialException' });
    expect((await stateOf(p384.KeyId!)).KeyState).toBe('PendingImport');
  });

  it('takes KeyMaterialDescription for symmetric encryption keys only, within the model pattern', async () => {
    const hmac = await newKey('HMAC_256');
    await expect(
      importInto(hmac.KeyId!, materialFor('HMAC_256'), {
        KeyMaterialDescription: 'byok-ceremony x',
      }),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('only supported for symmetric encryption keys'),
    });
    expect((await stateOf(hmac.KeyId!)).KeyState).toBe('PendingImport');
    const symmetric = await newKey();
    await expect(
      importInto(symmetric.KeyId!, randomBytes(32), { KeyMaterialDescription: 'name (id)' }),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('regular expression pattern'),
    });
    await expect(
      importInto(symmetric.KeyId!, randomBytes(32), { KeyMaterialDescription: 'x'.repeat(257) }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await importInto(symmetric.KeyId!, randomBytes(32), {
      KeyMaterialDescription: 'Payments 2026 - 0b6a3c1e-8f7d-4c2b-9e1a-5d4f3b2a1c0e',
    });
    const listed = await kms.send(
      new ListKeyRotationsCommand({
        KeyId: symmetric.KeyId,
        IncludeKeyMaterial: 'ALL_KEY_MATERIAL',
      }),
    );
    expect(listed.Rotations?.map((r) => r.KeyMaterialDescription)).toEqual([
      'Payments 2026 - 0b6a3c1e-8f7d-4c2b-9e1a-5d4f3b2a1c0e',
    ]);
  });

  it('answers SHA-1 wrapping under a SHA-256 token with InvalidCiphertextException', async () => {
    const key = await newKey();
    const parameters = await kms.send(
      new GetParametersForImportCommand({
        KeyId: key.KeyId,
        WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        WrappingKeySpec: 'RSA_2048',
      }),
    );
    await expect(
      kms.send(
        new ImportKeyMaterialCommand({
          KeyId: key.KeyId,
          ImportToken: parameters.ImportToken,
          EncryptedKeyMaterial: wrapForKms(
            parameters.PublicKey!,
            'RSAES_OAEP_SHA_1',
            randomBytes(32),
          ),
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
    const forged = Buffer.from(parameters.ImportToken!);
    forged[forged.length - 1]! ^= 1;
    await expect(
      kms.send(
        new ImportKeyMaterialCommand({
          KeyId: key.KeyId,
          ImportToken: forged,
          EncryptedKeyMaterial: wrapForKms(
            parameters.PublicKey!,
            'RSAES_OAEP_SHA_256',
            randomBytes(32),
          ),
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidImportTokenException' });
  });

  it('applies the expiration model: ValidTo required, at most 365 days, and expiry puts the key in PendingImport', async () => {
    const key = await newKey();
    const material = randomBytes(32);
    await expect(
      importInto(key.KeyId!, material, { ExpirationModel: 'KEY_MATERIAL_EXPIRES' }),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES',
    });
    const now = sim.now().getTime();
    await expect(
      importInto(key.KeyId!, material, {
        ExpirationModel: 'KEY_MATERIAL_EXPIRES',
        ValidTo: new Date(now + 366 * 86400_000),
      }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      importInto(key.KeyId!, material, { ValidTo: new Date(now + 86400_000) }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const validTo = new Date(Math.floor(now / 1000) * 1000 + 2 * 86400_000);
    await importInto(key.KeyId!, material, {
      ExpirationModel: 'KEY_MATERIAL_EXPIRES',
      ValidTo: validTo,
    });
    const enabled = await stateOf(key.KeyId!);
    expect(enabled).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_EXPIRES' });
    expect(enabled.ValidTo?.getTime()).toBe(validTo.getTime());
    const ciphertext = (
      await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('kept') }))
    ).CiphertextBlob;
    sim.advanceClock(3 * 86400);
    expect((await stateOf(key.KeyId!)).KeyState).toBe('PendingImport');
    await expect(
      kms.send(new DecryptCommand({ CiphertextBlob: ciphertext })),
    ).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
    await importInto(key.KeyId!, material);
    expect((await stateOf(key.KeyId!)).KeyState).toBe('Enabled');
    expect(
      Buffer.from(
        (await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext }))).Plaintext!,
      ).toString(),
    ).toBe('kept');
  });

  it('deletes imported material, and only the same material comes back, with the same KeyMaterialId', async () => {
    const key = await newKey('HMAC_256');
    const material = randomBytes(32);
    const first = await importInto(key.KeyId!, material);
    const deleted = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId }));
    expect(deleted.KeyMaterialId).toBe(first.KeyMaterialId);
    expect((await stateOf(key.KeyId!)).KeyState).toBe('PendingImport');
    await expect(importInto(key.KeyId!, randomBytes(32))).rejects.toMatchObject({
      name: 'IncorrectKeyMaterialException',
    });
    const again = await importInto(key.KeyId!, material, { KeyMaterialId: first.KeyMaterialId });
    expect(again.KeyMaterialId).toBe(first.KeyMaterialId);
    expect((await stateOf(key.KeyId!)).KeyState).toBe('Enabled');
  });

  it('gives different keys different KeyMaterialIds for the same material', async () => {
    const material = randomBytes(32);
    const a = await importInto((await newKey()).KeyId!, material);
    const b = await importInto((await newKey()).KeyId!, material);
    expect(a.KeyMaterialId).not.toBe(b.KeyMaterialId);
  });

  it("refuses a second new material and a rotation with none pending in AWS's words", async () => {
    const key = await newKey();
    await importInto(key.KeyId!, randomBytes(32));
    await expect(
      kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
    ).rejects.toMatchObject({
      name: 'KMSInvalidStateException',
      message: `No available key material pending rotation for the key: ${key.Arn}.`,
    });
    const pending = await importInto(key.KeyId!, randomBytes(32), {
      ImportType: 'NEW_KEY_MATERIAL',
    });
    const refused = await importInto(key.KeyId!, randomBytes(32), {
      ImportType: 'NEW_KEY_MATERIAL',
    }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(refused?.name).toBe('KMSInvalidStateException');
    const m =
      /^New key material \(id: ([0-9a-f]{64})\) cannot be imported into KMS key (\S+), because another key material \(id: ([0-9a-f]{64})\) is pending rotation\.$/.exec(
        refused?.message ?? '',
      );
    expect(m?.slice(2)).toEqual([key.KeyId, pending.KeyMaterialId]);
    expect(m?.[1]).not.toBe(pending.KeyMaterialId);
  });

  it('rotates to new imported material on demand and lists every material', async () => {
    const key = await newKey();
    const first = await importInto(key.KeyId!, randomBytes(32));
    const oldCiphertext = (
      await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('old') }))
    ).CiphertextBlob;
    await expect(
      importInto(key.KeyId!, randomBytes(32), {
        ImportType: 'NEW_KEY_MATERIAL',
        KeyMaterialId: first.KeyMaterialId,
      }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const second = await importInto(key.KeyId!, randomBytes(32), {
      ImportType: 'NEW_KEY_MATERIAL',
      KeyMaterialDescription: 'second material',
    });
    expect((await stateOf(key.KeyId!)).CurrentKeyMaterialId).toBe(first.KeyMaterialId);
    const pending = await kms.send(
      new ListKeyRotationsCommand({ KeyId: key.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
    );
    expect(pending.Rotations).toEqual([
      expect.objectContaining({
        KeyMaterialId: first.KeyMaterialId,
        KeyMaterialState: 'CURRENT',
        ImportState: 'IMPORTED',
      }),
      expect.objectContaining({
        KeyMaterialId: second.KeyMaterialId,
        KeyMaterialState: 'PENDING_ROTATION',
        ImportState: 'IMPORTED',
        KeyMaterialDescription: 'second material',
      }),
    ]);
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    expect((await stateOf(key.KeyId!)).CurrentKeyMaterialId).toBe(second.KeyMaterialId);
    const rotations = await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }));
    expect(rotations.Rotations).toEqual([
      expect.objectContaining({
        KeyMaterialId: second.KeyMaterialId,
        KeyMaterialState: 'CURRENT',
        RotationType: 'ON_DEMAND',
      }),
    ]);
    expect(
      Buffer.from(
        (await kms.send(new DecryptCommand({ CiphertextBlob: oldCiphertext }))).Plaintext!,
      ).toString(),
    ).toBe('old');
    await kms.send(
      new DeleteImportedKeyMaterialCommand({
        KeyId: key.KeyId,
        KeyMaterialId: first.KeyMaterialId,
      }),
    );
    expect((await stateOf(key.KeyId!)).KeyState).toBe('PendingImport');
  });

  it('makes each replica of a multi-Region key import the same material itself', async () => {
    const primary = await newKey('SYMMETRIC_DEFAULT', true);
    const material = randomBytes(32);
    const imported = await importInto(primary.KeyId!, material);
    const replicated = await kms.send(
      new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'us-east-1' }),
    );
    const replica = replicated.ReplicaKeyMetadata!;
    expect(replica.Arn).toBe(`arn:aws:kms:us-east-1:111122223333:key/${primary.KeyId!}`);
    expect(replica.KeyState).toBe('PendingImport');
    expect(replica.MultiRegionConfiguration).toMatchObject({
      MultiRegionKeyType: 'REPLICA',
      PrimaryKey: { Arn: primary.Arn, Region: 'eu-west-2' },
    });
    expect((await stateOf(primary.KeyId!)).MultiRegionConfiguration?.ReplicaKeys).toEqual([
      { Arn: replica.Arn, Region: 'us-east-1' },
    ]);
    // The replica lives in its own Region: the primary's Region does not know its ARN.
    await expect(stateOf(replica.Arn!)).rejects.toMatchObject({ name: 'NotFoundException' });
    const east = new KMSClient({
      endpoint: sim.url,
      region: 'us-east-1',
      credentials: REHEARSAL_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      await expect(
        importInto(replica.Arn!, randomBytes(32), {}, undefined, east),
      ).rejects.toMatchObject({
        name: 'IncorrectKeyMaterialException',
      });
      const replicaImport = await importInto(replica.Arn!, material, {}, undefined, east);
      expect(replicaImport.KeyMaterialId).toBe(imported.KeyMaterialId);
      const described = await east.send(new DescribeKeyCommand({ KeyId: replica.Arn }));
      expect(described.KeyMetadata?.KeyState).toBe('Enabled');
      // A ciphertext of the primary decrypts in the replica's Region: the same key id and material.
      const blob = (
        await kms.send(new EncryptCommand({ KeyId: primary.Arn, Plaintext: Buffer.from('mrk') }))
      ).CiphertextBlob;
      const plain = await east.send(new DecryptCommand({ CiphertextBlob: blob }));
      expect(Buffer.from(plain.Plaintext!).toString()).toBe('mrk');
      expect(plain.KeyId).toBe(replica.Arn);
    } finally {
      east.destroy();
    }
  });
});
