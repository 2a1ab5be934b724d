import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { simForThisFile } from '../helpers/sim-env.js';
import { Ceremony } from './ceremony-steps.js';

const s = simForThisFile();

type Source = 'generated' | 'raw file' | 'PKCS#8 PEM' | 'PKCS#8 DER';

interface Case {
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly source: Source;
  readonly proof: 'kcv-only' | 'hmac' | 'public-key';
}

const CURVES: Record<string, string> = {
  ECC_NIST_P256: 'prime256v1',
  ECC_NIST_P384: 'secp384r1',
  ECC_NIST_P521: 'secp521r1',
  ECC_SECG_P256K1: 'secp256k1',
};

/** Every key spec and usage KMS takes imported material for, each by some material source. */
const CASES: readonly Case[] = [
  {
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    source: 'generated',
    proof: 'kcv-only',
  },
  { keySpec: 'HMAC_224', keyUsage: 'GENERATE_VERIFY_MAC', source: 'generated', proof: 'hmac' },
  { keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', source: 'raw file', proof: 'hmac' },
  { keySpec: 'HMAC_384', keyUsage: 'GENERATE_VERIFY_MAC', source: 'generated', proof: 'hmac' },
  { keySpec: 'HMAC_512', keyUsage: 'GENERATE_VERIFY_MAC', source: 'raw file', proof: 'hmac' },
  { keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT', source: 'generated', proof: 'public-key' },
  { keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', source: 'PKCS#8 PEM', proof: 'public-key' },
  { keySpec: 'RSA_3072', keyUsage: 'ENCRYPT_DECRYPT', source: 'PKCS#8 DER', proof: 'public-key' },
  { keySpec: 'RSA_3072', keyUsage: 'SIGN_VERIFY', source: 'generated', proof: 'public-key' },
  { keySpec: 'RSA_4096', keyUsage: 'ENCRYPT_DECRYPT', source: 'PKCS#8 PEM', proof: 'public-key' },
  { keySpec: 'RSA_4096', keyUsage: 'SIGN_VERIFY', source: 'generated', proof: 'public-key' },
  { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', source: 'PKCS#8 DER', proof: 'public-key' },
  { keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT', source: 'generated', proof: 'public-key' },
  { keySpec: 'ECC_NIST_P384', keyUsage: 'SIGN_VERIFY', source: 'generated', proof: 'public-key' },
  {
    keySpec: 'ECC_NIST_P384',
    keyUsage: 'KEY_AGREEMENT',
    source: 'PKCS#8 PEM',
    proof: 'public-key',
  },
  { keySpec: 'ECC_NIST_P521', keyUsage: 'SIGN_VERIFY', source: 'PKCS#8 PEM', proof: 'public-key' },
  {
    keySpec: 'ECC_NIST_P521',
    keyUsage: 'KEY_AGREEMENT',
    source: 'PKCS#8 DER',
    proof: 'public-key',
  },
  {
    keySpec: 'ECC_SECG_P256K1',
    keyUsage: 'SIGN_VERIFY',
    source: 'PKCS#8 DER',
    proof: 'public-key',
  },
];

/** Throwaway material made by the test, in the form the case names. */
function materialBytes(c: Case): Buffer | string {
  if (c.keySpec.startsWith('HMAC_')) return randomBytes(Number(c.keySpec.slice(5)) / 8);
  const pair = c.keySpec.startsWith('RSA_')
    ? generateKeyPairSync('rsa', { modulusLength: Number(c.keySpec.slice(4)) })
    : generateKeyPairSync('ec', { namedCurve: CURVES[c.keySpec]! });
  return c.source === 'PKCS#8 PEM'
    ? pair.privateKey.export({ format: 'pem', type: 'pkcs8' })
    : pair.privateKey.export({ format: 'der', type: 'pkcs8' });
}

/** What one case's key came out as: its target's wrapping algorithm, its import, its ARN. */
interface Outcome {
  readonly arn: string;
  readonly wrappingAlgorithm: unknown;
  readonly imported: { keyState: string; proof: string; proven: boolean };
}

/**
 * create-key for each case, then prepare → wrap → import of one request for all of them, with
 * `material` the wrap's material flags; each case's outcome, in order.
 */
async function importTogether(cases: readonly Case[], material: string[]): Promise<Outcome[]> {
  const ceremony = await Ceremony.start(s);
  const arns: string[] = [];
  for (const c of cases)
    arns.push(await ceremony.createKey(['--key-spec', c.keySpec, '--key-usage', c.keyUsage]));
  const prep = await ceremony.prepare(
    'r.json',
    arns.flatMap((arn) => ['--key-id', arn]),
  );
  const code = await ceremony.wrap('r.json', prep.checkCode, 'w.json', material);
  const imported = await ceremony.import<{ keys: Outcome['imported'][] }>('r.json', 'w.json', code);
  expect(imported.keys).toHaveLength(cases.length);
  return arns.map((arn, i) => ({
    arn,
    wrappingAlgorithm: prep.targets[i]!['wrappingAlgorithm'],
    imported: imported.keys[i]!,
  }));
}

/** A case with material from a file: a request of its own (--material-file is one group's). */
async function importAlone(c: Case): Promise<Outcome> {
  const ceremony = await Ceremony.start(s);
  const arn = await ceremony.createKey(['--key-spec', c.keySpec, '--key-usage', c.keyUsage]);
  const prep = await ceremony.prepare('r.json', ['--key-id', arn]);
  await writeFile(join(ceremony.offlineDir, 'material'), materialBytes(c), { mode: 0o600 });
  const code = await ceremony.wrap('r.json', prep.checkCode, 'w.json', [
    '--material-file',
    'material',
  ]);
  const imported = await ceremony.import<{ keys: Outcome['imported'][] }>('r.json', 'w.json', code);
  expect(imported.keys).toHaveLength(1);
  return {
    arn,
    wrappingAlgorithm: prep.targets[0]!['wrappingAlgorithm'],
    imported: imported.keys[0]!,
  };
}

describe('every importable key type: prepare → wrap → import → proof through the CLIs', () => {
  // The cases whose material wrap generates share one ceremony (one request of all of them); each
  // still asserts its own key. A case with a material file is a ceremony of its own.
  const GENERATED = CASES.filter((c) => c.source === 'generated');
  let generated: Outcome[];
  beforeAll(async () => {
    generated = await importTogether(GENERATED, ['--no-backup']);
  });

  it.each(CASES)('$keySpec $keyUsage, material $source', async (c) => {
    const { arn, wrappingAlgorithm, imported } =
      c.source === 'generated' ? generated[GENERATED.indexOf(c)]! : await importAlone(c);
    // The default per key spec: RSA private keys are too large for OAEP under RSA_4096, the rest fit.
    expect(wrappingAlgorithm).toBe(
      c.keySpec.startsWith('RSA_') ? 'RSA_AES_KEY_WRAP_SHA_256' : 'RSAES_OAEP_SHA_256',
    );
    expect(imported).toEqual(
      expect.objectContaining({
        keyState: 'Enabled',
        proof: c.proof,
        proven: c.proof !== 'kcv-only',
      }),
    );
    const described = await s.kms.send(new DescribeKeyCommand({ KeyId: arn }));
    expect(described.KeyMetadata).toMatchObject({
      KeyState: 'Enabled',
      KeySpec: c.keySpec,
      KeyUsage: c.keyUsage,
    });
  });
});
