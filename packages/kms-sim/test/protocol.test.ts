import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetParametersForImportCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ScheduleKeyDeletionCommand,
  CancelKeyDeletionCommand,
  ReEncryptCommand,
  SignCommand,
  VerifyCommand,
  GetPublicKeyCommand,
  GenerateMacCommand,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REHEARSAL_CREDENTIALS, startKmsSim } from '../src/index.js';
import type { KmsSim } from '../src/index.js';
import { FIXTURE_WRAPPING_KEY_POOL, kmsClient, signedRequest } from './helpers.js';

describe('protocol, authentication and key operations', () => {
  let sim: KmsSim;
  let kms: KMSClient;

  beforeAll(async () => {
    sim = await startKmsSim({
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
      region: 'eu-west-2',
      account: '444455556666',
    });
    kms = kmsClient(sim);
  });
  afterAll(async () => {
    kms.destroy();
    await sim.close();
  });

  it('listens on loopback and reports its identity', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.region).toBe('eu-west-2');
    expect(sim.account).toBe('444455556666');
  });

  it('creates keys with KMS identities and full metadata', async () => {
    const created = await kms.send(
      new CreateKeyCommand({
        Origin: 'EXTERNAL',
        Description: 'ceremony',
        Tags: [{ TagKey: 'k', TagValue: 'v' }],
      }),
    );
    const metadata = created.KeyMetadata!;
    expect(metadata.KeyId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(metadata.Arn).toBe(`arn:aws:kms:eu-west-2:444455556666:key/${metadata.KeyId!}`);
    expect(metadata).toMatchObject({
      KeyState: 'PendingImport',
      Enabled: false,
      Origin: 'EXTERNAL',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      Description: 'ceremony',
      MultiRegion: false,
    });
    expect(metadata.CreationDate).toBeInstanceOf(Date);

    const mrk = await kms.send(new CreateKeyCommand({ MultiRegion: true }));
    expect(mrk.KeyMetadata!.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(mrk.KeyMetadata!.MultiRegionConfiguration?.MultiRegionKeyType).toBe('PRIMARY');

    const listed = await kms.send(new ListKeysCommand({}));
    expect(listed.Keys!.map((k) => k.KeyId)).toEqual(
      expect.arrayContaining([metadata.KeyId, mrk.KeyMetadata!.KeyId]),
    );
  });

  it('refuses a key usage the key spec does not allow', async () => {
    await expect(
      kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'ENCRYPT_DECRYPT' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      kms.send(
        new CreateKeyCommand({ KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' }),
      ),
    ).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
  });

  it('resolves aliases and ARNs where KMS accepts them, and encrypts, decrypts, re-encrypts', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(
      new CreateAliasCommand({ AliasName: 'alias/rehearsal', TargetKeyId: key.KeyId }),
    );
    await expect(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/rehearsal', TargetKeyId: key.KeyId })),
    ).rejects.toMatchObject({ name: 'AlreadyExistsException' });
    const aliases = await kms.send(new ListAliasesCommand({ KeyId: key.KeyId }));
    expect(aliases.Aliases).toEqual([
      expect.objectContaining({
        AliasName: 'alias/rehearsal',
        AliasArn: 'arn:aws:kms:eu-west-2:444455556666:alias/rehearsal',
        TargetKeyId: key.KeyId,
      }),
    ]);
    for (const id of [
      'alias/rehearsal',
      'arn:aws:kms:eu-west-2:444455556666:alias/rehearsal',
      key.Arn!,
    ]) {
      expect((await kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.KeyId).toBe(
        key.KeyId,
      );
    }
    const encrypted = await kms.send(
      new EncryptCommand({
        KeyId: 'alias/rehearsal',
        Plaintext: Buffer.from('secret'),
        EncryptionContext: { purpose: 'test' },
      }),
    );
    expect(encrypted.KeyId).toBe(key.Arn);
    const decrypted = await kms.send(
      new DecryptCommand({
        CiphertextBlob: encrypted.CiphertextBlob,
        EncryptionContext: { purpose: 'test' },
      }),
    );
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('secret');
    await expect(
      kms.send(
        new DecryptCommand({
          CiphertextBlob: encrypted.CiphertextBlob,
          EncryptionContext: { purpose: 'other' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await expect(
      kms.send(
        new DecryptCommand({
          CiphertextBlob: encrypted.CiphertextBlob,
          KeyId: other.KeyId,
          EncryptionContext: { purpose: 'test' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'IncorrectKeyException' });
    const reEncrypted = await kms.send(
      new ReEncryptCommand({
        CiphertextBlob: encrypted.CiphertextBlob,
        SourceEncryptionContext: { purpose: 'test' },
        DestinationKeyId: other.KeyId,
      }),
    );
    expect(reEncrypted.KeyId).toBe(other.Arn);
    const back = await kms.send(new DecryptCommand({ CiphertextBlob: reEncrypted.CiphertextBlob }));
    expect(Buffer.from(back.Plaintext!).toString()).toBe('secret');
    const dataKey = await kms.send(
      new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' }),
    );
    expect(dataKey.Plaintext).toHaveLength(32);
    const unwrapped = await kms.send(
      new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }),
    );
    expect(Buffer.from(unwrapped.Plaintext!).equals(Buffer.from(dataKey.Plaintext!))).toBe(true);
    await expect(
      kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a ciphertext at all') })),
    ).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it('moves keys through Disabled and PendingDeletion with KMS exceptions', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await expect(
      kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })),
    ).rejects.toMatchObject({ name: 'DisabledException' });
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    const scheduled = await kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }),
    );
    expect(scheduled).toMatchObject({ KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    await expect(
      kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })),
    ).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
    await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    expect(
      (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.KeyState,
    ).toBe('Disabled');
  });

  it('signs and verifies with generated asymmetric keys and MACs with HMAC keys', async () => {
    const rsa = (
      await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))
    ).KeyMetadata!;
    const publicKey = createPublicKey({
      key: Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId: rsa.KeyId }))).PublicKey!),
      format: 'der',
      type: 'spki',
    });
    const message = Buffer.from('hello');
    for (const SigningAlgorithm of ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384'] as const) {
      const signed = await kms.send(
        new SignCommand({ KeyId: rsa.KeyId, Message: message, SigningAlgorithm }),
      );
      const hash = SigningAlgorithm.endsWith('256') ? 'sha256' : 'sha384';
      const padding = SigningAlgorithm.startsWith('RSASSA_PSS')
        ? { padding: 6, saltLength: 32 }
        : {};
      expect(
        verify(hash, message, { key: publicKey, ...padding }, Buffer.from(signed.Signature!)),
      ).toBe(true);
      expect(
        (
          await kms.send(
            new VerifyCommand({
              KeyId: rsa.KeyId,
              Message: message,
              Signature: signed.Signature,
              SigningAlgorithm,
            }),
          )
        ).SignatureValid,
      ).toBe(true);
    }
    await expect(
      kms.send(
        new VerifyCommand({
          KeyId: rsa.KeyId,
          Message: Buffer.from('other'),
          Signature: Buffer.alloc(256, 1),
          SigningAlgorithm: 'RSASSA_PSS_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'KMSInvalidSignatureException' });
    await expect(
      kms.send(
        new SignCommand({ KeyId: rsa.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });

    const hmac = (
      await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' }))
    ).KeyMetadata!;
    expect(hmac.MacAlgorithms).toEqual(['HMAC_SHA_384']);
    const mac = await kms.send(
      new GenerateMacCommand({ KeyId: hmac.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_384' }),
    );
    expect(mac.Mac).toHaveLength(48);
    expect(
      (
        await kms.send(
          new VerifyMacCommand({
            KeyId: hmac.KeyId,
            Message: message,
            Mac: mac.Mac,
            MacAlgorithm: 'HMAC_SHA_384',
          }),
        )
      ).MacValid,
    ).toBe(true);
    await expect(
      kms.send(
        new VerifyMacCommand({
          KeyId: hmac.KeyId,
          Message: Buffer.from('x'),
          Mac: mac.Mac,
          MacAlgorithm: 'HMAC_SHA_384',
        }),
      ),
    ).rejects.toMatchObject({ name: 'KMSInvalidMacException' });
    // AWS's answer to a MAC algorithm of another spec, for GenerateMac and VerifyMac alike.
    const incompatible = {
      name: 'InvalidKeyUsageException',
      message: 'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_384.',
    };
    await expect(
      kms.send(
        new GenerateMacCommand({
          KeyId: hmac.KeyId,
          Message: message,
          MacAlgorithm: 'HMAC_SHA_256',
        }),
      ),
    ).rejects.toMatchObject(incompatible);
    await expect(
      kms.send(
        new VerifyMacCommand({
          KeyId: hmac.KeyId,
          Message: message,
          Mac: mac.Mac,
          MacAlgorithm: 'HMAC_SHA_256',
        }),
      ),
    ).rejects.toMatchObject(incompatible);
  });

  it('answers unknown keys and malformed key ids with NotFoundException', async () => {
    await expect(
      kms.send(new DescribeKeyCommand({ KeyId: '00000000-0000-0000-0000-000000000000' })),
    ).rejects.toMatchObject({
      name: 'NotFoundException',
      message:
        "Key 'arn:aws:kms:eu-west-2:444455556666:key/00000000-0000-0000-0000-000000000000' does not exist",
    });
    await expect(
      kms.send(new DescribeKeyCommand({ KeyId: 'example1-2345-67ab-9123-456789abcdef' })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/none' }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
  });

  it('validates members against the service model', async () => {
    const key = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
    const missing = await signedRequest(
      sim,
      'TrentService.GetParametersForImport',
      JSON.stringify({ KeyId: key.KeyId }),
    );
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({
      __type: 'ValidationException',
      message:
        "2 validation errors detected: Value null at 'wrappingAlgorithm' failed to satisfy constraint: Member must not be null; Value null at 'wrappingKeySpec' failed to satisfy constraint: Member must not be null",
    });
    const badEnum = await signedRequest(
      sim,
      'TrentService.GetParametersForImport',
      JSON.stringify({
        KeyId: key.KeyId,
        WrappingAlgorithm: 'RSA_OAEP',
        WrappingKeySpec: 'RSA_2048',
      }),
    );
    expect(badEnum.json.__type).toBe('ValidationException');
    expect(badEnum.json.message).toContain(
      "Value 'RSA_OAEP' at 'wrappingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RSAES_PKCS1_V1_5, RSAES_OAEP_SHA_1",
    );
    const tooLong = await signedRequest(
      sim,
      'TrentService.DescribeKey',
      JSON.stringify({ KeyId: 'x'.repeat(2049) }),
    );
    expect(tooLong.json.message).toContain('Member must have length less than or equal to 2048');
    const wrongType = await signedRequest(
      sim,
      'TrentService.DescribeKey',
      JSON.stringify({ KeyId: 42 }),
    );
    expect(wrongType.json.__type).toBe('SerializationException');
    const junk = await signedRequest(sim, 'TrentService.DescribeKey', '{"KeyId": ');
    expect(junk.status).toBe(400);
    expect(junk.json.__type).toBe('SerializationException');
    const badBlob = await signedRequest(
      sim,
      'TrentService.Decrypt',
      JSON.stringify({ CiphertextBlob: '***' }),
    );
    expect(badBlob.json.__type).toBe('SerializationException');
  });

  it('answers unknown targets with UnknownOperationException', async () => {
    const unknown = await signedRequest(sim, 'TrentService.MakeCoffee', '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.json.__type).toBe('UnknownOperationException');
    const none = await signedRequest(sim, undefined, '{}');
    expect(none.json.__type).toBe('UnknownOperationException');
  });

  it('authenticates every request with SigV4', async () => {
    const unknownKey = await signedRequest(sim, 'TrentService.ListKeys', '{}', {
      credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' },
    });
    expect(unknownKey.json.__type).toBe('UnrecognizedClientException');
    const badSecret = await signedRequest(sim, 'TrentService.ListKeys', '{}', {
      credentials: { accessKeyId: REHEARSAL_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' },
    });
    expect(badSecret.status).toBe(400);
    expect(badSecret.json.__type).toBe('InvalidSignatureException');
    expect(badSecret.json.message).toContain(
      'The request signature we calculated does not match the signature you provided',
    );
    const wrongRegion = await signedRequest(sim, 'TrentService.ListKeys', '{}', {
      region: 'us-east-1',
    });
    expect(wrongRegion.json.__type).toBe('InvalidSignatureException');
    const ok = await signedRequest(sim, 'TrentService.ListKeys', '{}');
    expect(ok.status).toBe(200);
    const unsigned = await fetch(sim.url, {
      method: 'POST',
      headers: {
        'x-amz-target': 'TrentService.ListKeys',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: '{}',
    });
    expect(((await unsigned.json()) as { __type: string }).__type).toBe(
      'MissingAuthenticationTokenException',
    );
    const wrongSdk = new KMSClient({
      endpoint: sim.url,
      region: sim.region,
      credentials: { accessKeyId: REHEARSAL_CREDENTIALS.accessKeyId, secretAccessKey: 'nope' },
      maxAttempts: 1,
    });
    await expect(wrongSdk.send(new ListKeysCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    wrongSdk.destroy();
  });

  it('accepts only the configured credentials', async () => {
    const custom = await startKmsSim({
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
      credentials: [{ accessKeyId: 'AKIDCUSTOM', secretAccessKey: 'custom-secret' }],
    });
    try {
      const rehearsal = await signedRequest(custom, 'TrentService.ListKeys', '{}');
      expect(rehearsal.json.__type).toBe('UnrecognizedClientException');
      const accepted = await signedRequest(custom, 'TrentService.ListKeys', '{}', {
        credentials: { accessKeyId: 'AKIDCUSTOM', secretAccessKey: 'custom-secret' },
      });
      expect(accepted.status).toBe(200);
    } finally {
      await custom.close();
    }
  });

  it('refuses import parameters KMS refuses', async () => {
    const generated = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await expect(
      kms.send(
        new GetParametersForImportCommand({
          KeyId: generated.KeyId,
          WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          WrappingKeySpec: 'RSA_2048',
        }),
      ),
    ).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
    const external = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
    await expect(
      kms.send(
        new GetParametersForImportCommand({
          KeyId: external.KeyId,
          WrappingAlgorithm: 'RSAES_PKCS1_V1_5',
          WrappingKeySpec: 'RSA_2048',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      kms.send(
        new GetParametersForImportCommand({
          KeyId: external.KeyId,
          WrappingAlgorithm: 'SM2PKE',
          WrappingKeySpec: 'SM2',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      kms.send(
        new GetParametersForImportCommand({
          KeyId: 'alias/rehearsal',
          WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          WrappingKeySpec: 'RSA_2048',
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
    await kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: external.KeyId, PendingWindowInDays: 7 }),
    );
    await expect(
      kms.send(
        new GetParametersForImportCommand({
          KeyId: external.KeyId,
          WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          WrappingKeySpec: 'RSA_2048',
        }),
      ),
    ).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
  });
});
