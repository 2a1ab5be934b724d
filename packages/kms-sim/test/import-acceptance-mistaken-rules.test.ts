import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  CreateKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
} from '@aws-sdk/client-kms';
import type { AlgorithmSpec, KMSClient, KeySpec, KeyUsageType } from '@aws-sdk/client-kms';
import * as shared from '@byok-ceremony/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkKeyMaterial } from '../src/crypto/material.js';
import { readWrappingKeyPoolFile } from '../src/crypto/wrapping-key-pool-file.js';
import { startKmsSim } from '../src/index.js';
import type { KmsSim } from '../src/index.js';
import { FIXTURE_WRAPPING_KEY_POOL, kmsClient } from './helpers.js';
import { wrapForKms } from './wrap.js';

// Mistakes in the tools' table, one for each thing the simulator decides on import. The
// simulator's own table (src/model/import-acceptance.ts) has them right, so it must refuse.
vi.mock('@byok-ceremony/shared', async (importOriginal) => {
  const real = await importOriginal<typeof import('@byok-ceremony/shared')>();
  const rules = { ...real.KEY_SPEC_RULES } as Record<string, unknown>;
  const mistaken = (spec: keyof typeof real.KEY_SPEC_RULES, change: object) => {
    rules[spec] = { ...real.KEY_SPEC_RULES[spec], ...change };
  };
  mistaken('SYMMETRIC_DEFAULT', {
    keyUsages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
    material: { kind: 'symmetric', bytes: 16 },
    wrappingAlgorithms: real.WRAPPING_ALGORITHMS,
  });
  mistaken('HMAC_256', {
    material: { ...real.KEY_SPEC_RULES.HMAC_256.material, minBytes: 16 },
  });
  mistaken('HMAC_512', {
    material: { ...real.KEY_SPEC_RULES.HMAC_512.material, maxBytes: 256 },
  });
  mistaken('RSA_2048', { wrappingAlgorithms: real.WRAPPING_ALGORITHMS });
  mistaken('RSA_3072', { material: { kind: 'rsa-private', modulusBits: 4096 } });
  mistaken('ECC_NIST_P384', {
    material: { kind: 'ec-private', curve: 'secp521r1', maxPkcs8Bytes: 241 },
  });
  mistaken('ECC_SECG_P256K1', {
    keyUsages: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
    material: { kind: 'ec-private', curve: 'prime256v1', maxPkcs8Bytes: 138 },
  });
  mistaken('ML_DSA_44', { material: { kind: 'symmetric', bytes: 32 } });
  return {
    ...real,
    KEY_SPEC_RULES: rules,
    isImportableKeySpec: (spec: string) =>
      (rules[spec] as { material?: unknown }).material !== undefined,
    // The mistaken tools would let every combination through.
    checkWrappingCombination: () => ({ allowed: true }),
  };
});

const pkcs8 = (key: ReturnType<typeof generateKeyPairSync>['privateKey']) =>
  key.export({ format: 'der', type: 'pkcs8' });
const ecKey = (namedCurve: string) => pkcs8(generateKeyPairSync('ec', { namedCurve }).privateKey);
// Throwaway RSA keys of every size from the test fixture, to spare generating 3072/4096-bit keys.
const fixtureRsa = readWrappingKeyPoolFile(FIXTURE_WRAPPING_KEY_POOL);
const rsaKey = (spec: 'RSA_2048' | 'RSA_3072' | 'RSA_4096') =>
  fixtureRsa.get(spec)![0]!.privateKeyDer;

describe('the mistaken tools’ rules are the ones the simulator’s modules see', () => {
  it('says what the mistakes say', () => {
    expect(shared.KEY_SPEC_RULES.ECC_NIST_P384.material).toMatchObject({ curve: 'secp521r1' });
    expect(shared.isImportableKeySpec('ML_DSA_44')).toBe(true);
    expect(
      shared.checkWrappingCombination('RSA_2048', 'RSAES_OAEP_SHA_256', 'RSA_2048').allowed,
    ).toBe(true);
  });
});

describe('the simulator judges imported material by its own table, not the tools’ rules', () => {
  it('refuses P-521 material for an ECC_NIST_P384 key and takes P-384 material', () => {
    expect(() => checkKeyMaterial('ECC_NIST_P384', ecKey('secp521r1'))).toThrow(/secp384r1/);
    expect(() => checkKeyMaterial('ECC_NIST_P384', ecKey('secp384r1'))).not.toThrow();
  });

  it('refuses P-256 material for an ECC_SECG_P256K1 key and takes secp256k1 material', () => {
    expect(() => checkKeyMaterial('ECC_SECG_P256K1', ecKey('prime256v1'))).toThrow(/secp256k1/);
    expect(() => checkKeyMaterial('ECC_SECG_P256K1', ecKey('secp256k1'))).not.toThrow();
  });

  it('refuses a 4096-bit RSA key for an RSA_3072 key and takes a 3072-bit one', () => {
    expect(() => checkKeyMaterial('RSA_3072', rsaKey('RSA_4096'))).toThrow(/3072-bit modulus/);
    expect(() => checkKeyMaterial('RSA_3072', rsaKey('RSA_3072'))).not.toThrow();
  });

  it('refuses 16 bytes for SYMMETRIC_DEFAULT, under 32 bytes for HMAC_256, over 128 for HMAC_512', () => {
    expect(() => checkKeyMaterial('SYMMETRIC_DEFAULT', randomBytes(16))).toThrow(/256 bits/);
    expect(() => checkKeyMaterial('HMAC_256', randomBytes(16))).toThrow(/between 256 and 1024/);
    expect(() => checkKeyMaterial('HMAC_512', randomBytes(129))).toThrow(/between 512 and 1024/);
    expect(() => checkKeyMaterial('HMAC_512', randomBytes(128))).not.toThrow();
  });
});

describe('over the API, the simulator answers from its own table where the tools are wrong', () => {
  let sim: KmsSim;
  let kms: KMSClient;
  beforeAll(async () => {
    sim = await startKmsSim({
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
    });
    kms = kmsClient(sim);
  });
  afterAll(async () => {
    kms.destroy();
    await sim.close();
  });

  const createExternal = (KeySpec: string, KeyUsage: string) =>
    kms.send(
      new CreateKeyCommand({
        Origin: 'EXTERNAL',
        KeySpec: KeySpec as KeySpec,
        KeyUsage: KeyUsage as KeyUsageType,
      }),
    );

  it('refuses an EXTERNAL ML_DSA_44 key and usages the key spec does not have', async () => {
    await expect(createExternal('ML_DSA_44', 'SIGN_VERIFY')).rejects.toMatchObject({
      name: 'UnsupportedOperationException',
    });
    await expect(createExternal('ECC_SECG_P256K1', 'KEY_AGREEMENT')).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(createExternal('SYMMETRIC_DEFAULT', 'SIGN_VERIFY')).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it.each([
    ['RSA_2048', 'SIGN_VERIFY', 'RSAES_OAEP_SHA_256', 'RSA_4096'],
    ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_4096'],
    ['ECC_NIST_P521', 'SIGN_VERIFY', 'RSAES_OAEP_SHA_1', 'RSA_2048'],
  ] as const)(
    'refuses import parameters for %s with %s and %s',
    async (keySpec, usage, algorithm, wrappingKeySpec) => {
      const key = (await createExternal(keySpec, usage)).KeyMetadata!;
      await expect(
        kms.send(
          new GetParametersForImportCommand({
            KeyId: key.KeyId,
            WrappingAlgorithm: algorithm as AlgorithmSpec,
            WrappingKeySpec: wrappingKeySpec,
          }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationException' });
    },
  );

  it('answers IncorrectKeyMaterialException to P-521 material imported into an ECC_NIST_P384 key', async () => {
    const key = (await createExternal('ECC_NIST_P384', 'SIGN_VERIFY')).KeyMetadata!;
    const parameters = await kms.send(
      new GetParametersForImportCommand({
        KeyId: key.KeyId,
        WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256',
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
            'RSA_AES_KEY_WRAP_SHA_256',
            ecKey('secp521r1'),
          ),
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      ),
    ).rejects.toMatchObject({ name: 'IncorrectKeyMaterialException' });
  });
});
