import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ByokError,
  IMPORT_REQUEST_FORMAT,
  bundleDigest,
  canonicalJson,
  type ImportRequestBundle,
  type ImportTokensFile,
} from '@byok-ceremony/shared';
import { importTokensOf } from '../../src/ops/kept-import-tokens.js';
import { keyMaterialDescriptionOf } from '../../src/ops/key-material-description.js';

const arn = (): string => `arn:aws:kms:eu-west-2:111122223333:key/${randomUUID()}`;
const tokens = [randomBytes(1200), randomBytes(1200)];

/** A version 3 request's header and targets, as far as the tokens check reads them. */
function v3Request(ceremonyName: string | null = null): ImportRequestBundle {
  return {
    format: IMPORT_REQUEST_FORMAT,
    version: 3,
    ceremonyId: randomUUID(),
    createdAt: '2029-12-31T00:00:00Z',
    operators: ['ALICE', 'BOB'],
    auditLogHead: null,
    planDigest: null,
    ceremonyName,
    targets: tokens.map((token, i) => ({
      keyArn: arn(),
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      materialGroup: `k${i + 1}`,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      wrappingKeySpec: 'RSA_2048',
      publicKey: '',
      importTokenSha256: createHash('sha256').update(token).digest('hex'),
      parametersValidTo: '2030-01-01T00:00:00Z',
      importType: 'NEW_KEY_MATERIAL',
      keyMaterialId: null,
      expectedKcv: null,
    })),
  };
}

function keptFile(request: ImportRequestBundle, edit: Partial<ImportTokensFile> = {}) {
  const file: ImportTokensFile = {
    format: 'byok-ceremony/import-tokens',
    version: 1,
    requestDigest: bundleDigest(request),
    tokens: request.targets.map((t, i) => ({
      keyArn: t.keyArn,
      importToken: tokens[i]!.toString('base64'),
    })),
    ...edit,
  };
  return { path: 'r.json.tokens.json', bytes: new TextEncoder().encode(canonicalJson(file)) };
}

function refusal(run: () => unknown): ByokError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ByokError);
    expect((error as ByokError).code).toBe('ERR_IMPORT_TOKENS');
    expect((error as ByokError).hint).toMatch(/REQUEST\.tokens\.json/);
    return error as ByokError;
  }
  throw new Error('not refused');
}

describe('importTokensOf', () => {
  it("gives each target its kept token when the file is this request's", () => {
    const request = v3Request();
    const got = importTokensOf(request, bundleDigest(request), keptFile(request));
    expect(got.map((t, i) => Buffer.from(t).equals(tokens[i]!))).toEqual([true, true]);
  });

  it('refuses a missing file, another count of tokens, tokens in another order, and a bad shape', () => {
    const request = v3Request();
    const digest = bundleDigest(request);
    expect(refusal(() => importTokensOf(request, digest, undefined)).message).toContain(
      'needs its tokens file',
    );
    const first = keptFile(request).bytes;
    const one = JSON.parse(new TextDecoder().decode(first)) as ImportTokensFile;
    expect(
      refusal(() =>
        importTokensOf(request, digest, keptFile(request, { tokens: [one.tokens[0]!] })),
      ).message,
    ).toContain("has 1 token(s) for the request's 2 key(s)");
    const swapped = refusal(() =>
      importTokensOf(request, digest, keptFile(request, { tokens: [...one.tokens].reverse() })),
    );
    expect(swapped.details).toEqual([
      `token 0 is for ${request.targets[1]!.keyArn}, the request's target 0 is ${request.targets[0]!.keyArn}`,
      `token 1 is for ${request.targets[0]!.keyArn}, the request's target 1 is ${request.targets[1]!.keyArn}`,
    ]);
    expect(
      refusal(() =>
        importTokensOf(request, digest, {
          path: 'r.json.tokens.json',
          bytes: new TextEncoder().encode('{"format":"byok-ceremony/import-request"}'),
        }),
      ).message,
    ).toContain('is not one prepare writes');
  });

  it("takes a version 1 or 2 request's own tokens, with no file", () => {
    const v3 = v3Request();
    const v2 = {
      ...v3,
      version: 2,
      targets: v3.targets.map((t, i) => ({ ...t, importToken: tokens[i]!.toString('base64') })),
    } as ImportRequestBundle;
    const got = importTokensOf(v2, bundleDigest(v2), undefined);
    expect(got.map((t, i) => Buffer.from(t).equals(tokens[i]!))).toEqual([true, true]);
  });
});

describe('keyMaterialDescriptionOf', () => {
  const KMS_PATTERN = /^[a-zA-Z0-9:/_\s.-]+$/u;

  it('names the ceremony within what KMS takes (256 characters of its pattern)', () => {
    const flags = v3Request();
    expect(keyMaterialDescriptionOf(flags)).toBe(`byok-ceremony ${flags.ceremonyId}`);
    const named = v3Request('Payments 2026 (EU)');
    expect(keyMaterialDescriptionOf(named)).toBe(`Payments 2026 _EU_ - ${named.ceremonyId}`);
    const worst = v3Request('()!"#$%&*+,;<=>?@[]^`{|}~'.repeat(3).slice(0, 64));
    const description = keyMaterialDescriptionOf(worst);
    expect(description).toMatch(KMS_PATTERN);
    expect(description.length).toBeLessThanOrEqual(256);
    expect(description.endsWith(` - ${worst.ceremonyId}`)).toBe(true);
  });
});
