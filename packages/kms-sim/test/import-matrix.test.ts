import {
  CreateKeyCommand,
  DescribeKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import type { AlgorithmSpec, KeySpec, WrappingKeySpec } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKmsSim } from '../src/index.js';
import type { KmsSim } from '../src/index.js';
import { FIXTURE_WRAPPING_KEY_POOL, kmsClient } from './helpers.js';
import { materialFor, usageFor, wrapForKms } from './wrap.js';

// The documented matrix (KMS Developer Guide, "Import key material", step 2), written out
// here independently of the rules table the simulator uses.
const OAEP = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
const AES_KEY_WRAP = ['RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'];
const ALGORITHMS = [...OAEP, ...AES_KEY_WRAP] as AlgorithmSpec[];
const WRAPPING_KEY_SPECS: WrappingKeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];

function documentedVerdict(keySpec: string, algorithm: string, wrappingKeySpec: string): boolean {
  if (keySpec === 'SYMMETRIC_DEFAULT' || keySpec.startsWith('HMAC_'))
    return OAEP.includes(algorithm);
  if (keySpec.startsWith('RSA_')) return AES_KEY_WRAP.includes(algorithm);
  if (keySpec === 'ECC_NIST_P521')
    return !(OAEP.includes(algorithm) && wrappingKeySpec === 'RSA_2048');
  return true; // other ECC specs: all four with every wrapping key size
}

const KEY_SPECS = [
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
];

const CASES = KEY_SPECS.flatMap((keySpec) =>
  ALGORITHMS.flatMap((algorithm) =>
    WRAPPING_KEY_SPECS.map((wrappingKeySpec) => ({
      keySpec,
      algorithm,
      wrappingKeySpec,
      allowed: documentedVerdict(keySpec, algorithm, wrappingKeySpec),
    })),
  ),
);

describe('the import matrix: every key spec × wrapping algorithm × wrapping key spec', () => {
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

  it('covers 144 combinations', () => {
    expect(CASES).toHaveLength(144);
  });

  it.each(CASES)(
    '$keySpec with $algorithm and $wrappingKeySpec: allowed=$allowed',
    async ({ keySpec, algorithm, wrappingKeySpec, allowed }) => {
      const key = (
        await kms.send(
          new CreateKeyCommand({
            Origin: 'EXTERNAL',
            KeySpec: keySpec as KeySpec,
            KeyUsage: usageFor(keySpec),
          }),
        )
      ).KeyMetadata!;
      const request = new GetParametersForImportCommand({
        KeyId: key.KeyId,
        WrappingAlgorithm: algorithm as AlgorithmSpec,
        WrappingKeySpec: wrappingKeySpec,
      });
      if (!allowed) {
        await expect(kms.send(request)).rejects.toMatchObject({ name: 'ValidationException' });
        return;
      }
      // Larger wrapping keys are slow to make; import through them only where their verdict differs from RSA_2048.
      if (wrappingKeySpec !== 'RSA_2048' && documentedVerdict(keySpec, algorithm, 'RSA_2048'))
        return;
      const parameters = await kms.send(request);
      const imported = await kms.send(
        new ImportKeyMaterialCommand({
          KeyId: key.KeyId,
          ImportToken: parameters.ImportToken,
          EncryptedKeyMaterial: wrapForKms(parameters.PublicKey!, algorithm, materialFor(keySpec)),
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      );
      expect(imported.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
      expect(
        (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.KeyState,
      ).toBe('Enabled');
    },
  );

  it.each(['ECC_NIST_EDWARDS25519', 'ML_DSA_44', 'SM2'])(
    'refuses EXTERNAL keys of %s',
    async (keySpec) => {
      await expect(
        kms.send(
          new CreateKeyCommand({
            Origin: 'EXTERNAL',
            KeySpec: keySpec as KeySpec,
            KeyUsage: 'SIGN_VERIFY',
          }),
        ),
      ).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
    },
  );
});
