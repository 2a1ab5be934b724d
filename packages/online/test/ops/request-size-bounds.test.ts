import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ByokError,
  KEY_SPEC_RULES,
  importTokensPathOf,
  type ImportRequestBundle,
  type KeySpec,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '@byok-ceremony/shared';
import { factsOfFailure, type OutputWriter } from '@byok-ceremony/node-io';
import type { KmsPort } from '../../src/kms/kms-port.js';
import { prepareCeremony, type PrepareCeremonyInput } from '../../src/ops/prepare-ceremony.js';
import {
  ARN_MAX_CHARS,
  READ_LIMITS,
  TOKEN_BOUND_BYTES,
  largestBatchThatFits,
  requestSizeBounds,
} from '../../src/ops/request-size-bounds.js';
import { FakeKmsPort } from '../helpers/fake-kms-port.js';
import { wrapForTest } from '../helpers/wrap-for-test.js';

const OPERATORS = ['ALICE', 'BOB'];
/** KMS's import tokens are about 1.2–1.5 KB; these are as large as the bound allows. */
const TOKEN_BYTES = TOKEN_BOUND_BYTES;

const SPKI: Record<WrappingKeySpec, Buffer> = {
  RSA_2048: wrappingKey(2048),
  RSA_3072: wrappingKey(3072),
  RSA_4096: wrappingKey(4096),
};

function wrappingKey(bits: number): Buffer {
  return generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({
    format: 'der',
    type: 'spki',
  });
}

/** The fake KMS, answering GetParametersForImport with a real key of the spec asked for. */
class SizedKms extends FakeKmsPort {
  override getParametersForImport: KmsPort['getParametersForImport'] = (
    keyId,
    _algorithm,
    spec,
  ) => {
    this.calls.push('GetParametersForImport');
    return Promise.resolve({
      keyArn: keyId,
      publicKey: new Uint8Array(SPKI[spec]),
      importToken: new Uint8Array(randomBytes(TOKEN_BYTES)),
      parametersValidTo: new Date('2026-12-02T08:00:00.000Z'),
    });
  };
}

function memoryWriter(): { files: Map<string, string>; writer: OutputWriter } {
  const files = new Map<string, string>();
  return {
    files,
    writer: {
      assertWritable: (path) =>
        files.has(path) ? Promise.reject(new Error(`${path} exists`)) : Promise.resolve(),
      write: (path, data) => {
        files.set(path, typeof data === 'string' ? data : Buffer.from(data).toString('latin1'));
        return Promise.resolve();
      },
    },
  };
}

function prepareInput(
  keyIds: readonly string[],
  wrappingKeySpec: WrappingKeySpec,
  wrappingAlgorithm: WrappingAlgorithm | undefined = undefined,
): PrepareCeremonyInput {
  return {
    keyIds,
    wrappingAlgorithm,
    wrappingKeySpec,
    operators: OPERATORS,
    out: '/m/request.json',
    rawDir: undefined,
    mode: 'auto',
    keyMaterialId: undefined,
    expectKcv: new Map(),
    kcvOnRecord: undefined,
    withReplicas: false,
    plan: undefined,
    importedOnRecord: new Set<string>(),
    createdWithoutAlias: new Map(),
    concurrency: 8,
  };
}

function preparePorts(kms: KmsPort, writer: OutputWriter) {
  return {
    openKms: () => Promise.resolve(kms),
    now: () => new Date('2026-12-01T08:00:00.123Z'),
    newCeremonyId: () => '00000000-0000-4000-8000-000000000001',
    logHead: 'a'.repeat(64),
    writer,
    writeRawParameters: () => Promise.reject(new Error('not asked for')),
    qr: undefined,
    wait: { sleep: () => Promise.resolve(), budgetMs: 0 },
  };
}

/** prepare of `count` new keys of `keySpec` through the real operation; the files it wrote. */
async function realWrites(
  count: number,
  keySpec: KeySpec,
  wrappingKeySpec: WrappingKeySpec,
  wrappingAlgorithm?: WrappingAlgorithm,
) {
  const kms = new SizedKms();
  const arns: string[] = [];
  for (let i = 0; i < count; i++)
    arns.push(
      (
        await kms.createKey({
          keySpec,
          keyUsage: KEY_SPEC_RULES[keySpec].keyUsages[0]!,
          description: undefined,
          multiRegion: false,
          tags: [],
        })
      ).arn,
    );
  const { files, writer } = memoryWriter();
  const { result } = await prepareCeremony(
    prepareInput(arns, wrappingKeySpec, wrappingAlgorithm),
    preparePorts(kms, writer),
  );
  const bundle: ImportRequestBundle = result.bundle;
  // As byok-offline wrap writes it (wrap-ceremony.ts): indented JSON and a newline.
  const wrapped = `${JSON.stringify(wrapForTest(bundle), null, 2)}\n`;
  return {
    arns,
    request: Buffer.byteLength(files.get('/m/request.json')!),
    tokens: Buffer.byteLength(files.get(importTokensPathOf('/m/request.json'))!),
    wrapped: Buffer.byteLength(wrapped),
  };
}

describe('the size bounds prepare checks before any KMS call', () => {
  for (const wrappingKeySpec of ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const)
    for (const count of [1, 10, 1000])
      it(`are at least what ${count} SYMMETRIC_DEFAULT key(s) with ${wrappingKeySpec} write`, async () => {
        const real = await realWrites(count, 'SYMMETRIC_DEFAULT', wrappingKeySpec);
        const common = { wrappingKeySpec, operators: OPERATORS, ceremonyName: null };
        // Before DescribeKey: key spec unknown, ARN at its bound.
        const before = requestSizeBounds({
          ...common,
          targets: real.arns.map(() => ({
            keySpec: undefined,
            wrappingAlgorithm: undefined,
            arnChars: ARN_MAX_CHARS,
          })),
        });
        // After DescribeKey: the keys as they are.
        const after = requestSizeBounds({
          ...common,
          targets: real.arns.map((arn) => ({
            keySpec: 'SYMMETRIC_DEFAULT',
            wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
            arnChars: arn.length,
          })),
        });
        for (const bounds of [before, after]) {
          expect(bounds.request).toBeGreaterThanOrEqual(real.request);
          expect(bounds.wrapped).toBeGreaterThanOrEqual(real.wrapped);
          expect(bounds.tokens).toBeGreaterThanOrEqual(real.tokens);
        }
        // Tight enough to be useful: within the wrapped bundle's fixed allowance (64 KiB) and
        // about a third of each real file per key, whatever the count.
        expect(after.request).toBeLessThan(real.request * 1.35 + 4096);
        expect(after.tokens).toBeLessThan(real.tokens * 1.35 + 4096);
        expect(after.wrapped).toBeLessThan(real.wrapped * 1.6 + 64 * 1024);
      });

  it('are at least what HMAC_512 and ECC_NIST_P521 keys (RSA_AES_KEY_WRAP) write', async () => {
    for (const [keySpec, algorithm] of [
      ['HMAC_512', undefined],
      ['ECC_NIST_P521', 'RSA_AES_KEY_WRAP_SHA_256'],
    ] as const) {
      const real = await realWrites(10, keySpec, 'RSA_4096', algorithm);
      const bounds = requestSizeBounds({
        wrappingKeySpec: 'RSA_4096',
        operators: OPERATORS,
        ceremonyName: null,
        targets: real.arns.map((arn) => ({
          keySpec,
          wrappingAlgorithm: algorithm ?? 'RSAES_OAEP_SHA_256',
          arnChars: arn.length,
        })),
      });
      expect(bounds.request, keySpec).toBeGreaterThanOrEqual(real.request);
      expect(bounds.wrapped, keySpec).toBeGreaterThanOrEqual(real.wrapped);
      expect(bounds.tokens, keySpec).toBeGreaterThanOrEqual(real.tokens);
    }
  });

  it('name the largest batch: it fits, and one key more does not', () => {
    for (const wrappingKeySpec of ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const) {
      const common = { wrappingKeySpec, operators: OPERATORS, ceremonyName: null };
      const shape = { keySpec: undefined, wrappingAlgorithm: undefined, arnChars: ARN_MAX_CHARS };
      const most = largestBatchThatFits(common, shape);
      // 10,000 keys fit with every wrapping key spec (version 3: no tokens in the request).
      expect(most).toBeGreaterThanOrEqual(10_000);
      const fits = (n: number) => {
        const b = requestSizeBounds({ ...common, targets: Array(n).fill(shape) });
        return (
          b.request <= READ_LIMITS.request &&
          b.wrapped <= READ_LIMITS.wrapped &&
          b.tokens <= READ_LIMITS.tokens
        );
      };
      expect(fits(most)).toBe(true);
      expect(fits(most + 1)).toBe(false);
    }
  });
});

describe('prepare of more keys than fit', () => {
  it('is refused before any KMS call, naming the largest batch, with nothing written', async () => {
    const kms = new SizedKms();
    const { files, writer } = memoryWriter();
    const keyIds = Array.from(
      { length: 12_000 },
      (_, i) =>
        `arn:aws:kms:eu-west-2:111122223333:key/00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const error = await prepareCeremony(
      prepareInput(keyIds, 'RSA_4096'),
      preparePorts(kms, writer),
    ).then(
      () => new Error('prepare succeeded'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ByokError);
    const refused = error as ByokError;
    expect(refused.code).toBe('ERR_REQUEST_TOO_LARGE');
    expect(refused.message).toMatch(/12000 keys with RSA_4096 wrapping keys are too many/);
    expect(refused.message).toMatch(
      /the import request may take up to 1\d\.\d MiB, above the 16\.0 MiB/,
    );
    const most = largestBatchThatFits(
      { wrappingKeySpec: 'RSA_4096', operators: OPERATORS, ceremonyName: null },
      { keySpec: undefined, wrappingAlgorithm: undefined, arnChars: ARN_MAX_CHARS },
    );
    expect(refused.hint).toContain(`at most ${most} --key-id values`);
    expect(refused.hint).toContain('Nothing was asked of KMS and nothing was written.');
    expect(kms.calls).toEqual([]);
    expect(files.size).toBe(0);
    expect(factsOfFailure(error).outputs ?? {}).toEqual({});
  });
});
