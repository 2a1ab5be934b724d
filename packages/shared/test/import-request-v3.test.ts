import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertImportRequestBundle } from '../src/bundle/assert-import-request.js';
import { bundleDigest } from '../src/bundle/digest.js';
import { assertImportTokensFile } from '../src/bundle/import-tokens.js';
import type { ImportRequestBundle } from '../src/bundle/types.js';
import { ByokError } from '../src/errors.js';

type Loose = Record<string, unknown> & { targets: Record<string, unknown>[] };

let v3: Loose;
let v2: Loose;
const tokens: string[] = [];

const sha256Hex = (b64: string): string =>
  createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex');

beforeAll(() => {
  const spki = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64');
  const base = (i: number) => ({
    keyArn: `arn:aws:kms:eu-west-2:111122223333:key/${randomUUID()}`,
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    materialGroup: `k${i}`,
    wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
    wrappingKeySpec: 'RSA_2048',
    publicKey: spki,
    parametersValidTo: '2030-01-01T00:00:00Z',
    importType: 'NEW_KEY_MATERIAL',
    keyMaterialId: null,
    expectedKcv: null,
  });
  const header = {
    format: 'byok-ceremony/import-request',
    ceremonyId: randomUUID(),
    createdAt: '2029-12-31T00:00:00Z',
    operators: ['alice', 'bob'],
    auditLogHead: null,
  };
  for (let i = 0; i < 2; i++) tokens.push(randomBytes(1200).toString('base64'));
  v3 = {
    ...header,
    version: 3,
    planDigest: null,
    ceremonyName: null,
    targets: tokens.map((t, i) => ({ ...base(i), importTokenSha256: sha256Hex(t) })),
  };
  v2 = {
    ...header,
    version: 2,
    targets: tokens.map((t, i) => ({ ...base(i), importToken: t })),
  };
});

const clone = (value: Loose): Loose => JSON.parse(JSON.stringify(value)) as Loose;

function problemsOf(value: unknown): string[] {
  try {
    assertImportRequestBundle(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ByokError);
    expect((error as ByokError).code).toBe('ERR_BUNDLE_INVALID');
    return [...(error as ByokError).details];
  }
  return [];
}

describe('import request version 3', () => {
  it('accepts token hashes with null or set plan fields, and version 2 with its tokens', () => {
    expect(problemsOf(clone(v3))).toEqual([]);
    expect(
      problemsOf({ ...clone(v3), planDigest: 'ab'.repeat(32), ceremonyName: 'Q3 keys EU-west/1' }),
    ).toEqual([]);
    expect(problemsOf({ ...clone(v3), ceremonyName: 'x'.repeat(64) })).toEqual([]);
    expect(problemsOf(clone(v2))).toEqual([]);
  });

  it('refuses an import token in a version 3 target, and a token hash in version 1 or 2', () => {
    const withToken = clone(v3);
    withToken.targets[0]!['importToken'] = tokens[0];
    expect(problemsOf(withToken)).toEqual(['$.targets[0].importToken: unknown field']);
    const v2WithHash = clone(v2);
    v2WithHash.targets[1]!['importTokenSha256'] = sha256Hex(tokens[1]!);
    expect(problemsOf(v2WithHash)).toEqual(['$.targets[1].importTokenSha256: unknown field']);
    const v1WithHash = clone(v2);
    v1WithHash['version'] = 1;
    for (const t of v1WithHash.targets) {
      delete t['importType'];
      delete t['keyMaterialId'];
      delete t['expectedKcv'];
    }
    expect(problemsOf(v1WithHash)).toEqual([]);
    v1WithHash.targets[0]!['importTokenSha256'] = sha256Hex(tokens[0]!);
    expect(problemsOf(v1WithHash)).toEqual(['$.targets[0].importTokenSha256: unknown field']);
  });

  it('refuses a version 3 target without its token hash, or with one that is not 64 lowercase hex', () => {
    const missing = clone(v3);
    delete missing.targets[0]!['importTokenSha256'];
    expect(problemsOf(missing)).toEqual(['$.targets[0].importTokenSha256: missing']);
    for (const bad of ['AB'.repeat(32), 'ab'.repeat(31), tokens[0], 7]) {
      const wrong = clone(v3);
      wrong.targets[1]!['importTokenSha256'] = bad;
      expect(problemsOf(wrong)).toEqual([
        typeof bad === 'string'
          ? '$.targets[1].importTokenSha256: must be 64 lowercase hex digits (the SHA-256 of the import token)'
          : '$.targets[1].importTokenSha256: must be a string',
      ]);
    }
  });

  it('requires planDigest and ceremonyName in version 3, each null or well-formed', () => {
    const missing = clone(v3);
    delete missing['planDigest'];
    delete missing['ceremonyName'];
    expect(problemsOf(missing)).toEqual(['$.planDigest: missing', '$.ceremonyName: missing']);
    expect(problemsOf({ ...clone(v3), planDigest: 'AB'.repeat(32) })).toEqual([
      '$.planDigest: must be null or 64 lowercase hex digits',
    ]);
    const nameRule =
      'must be null or a name of 1–64 ASCII letters, digits, single spaces and ._:/- starting with a letter or digit';
    // The plan's pattern: what KMS allows in a KeyMaterialDescription, so no parentheses.
    const names = [
      '',
      'x'.repeat(65),
      ' padded',
      'tab\there',
      'line\nbreak',
      'Zoë',
      'Q3 (EU)',
      'a  b',
    ];
    for (const name of names) {
      expect(problemsOf({ ...clone(v3), ceremonyName: name })).toEqual([
        `$.ceremonyName: ${nameRule}`,
      ]);
    }
    expect(problemsOf({ ...clone(v3), ceremonyName: 5 })).toEqual([
      '$.ceremonyName: must be a string',
    ]);
  });

  it('refuses planDigest and ceremonyName before version 3, and any unknown field in version 3', () => {
    expect(problemsOf({ ...clone(v2), planDigest: null, ceremonyName: null })).toEqual([
      '$.planDigest: unknown field',
      '$.ceremonyName: unknown field',
    ]);
    const extra = clone(v3);
    extra['plan'] = {};
    extra.targets[0]!['keyAlias'] = 'alias/x';
    expect(problemsOf(extra)).toEqual([
      '$.plan: unknown field',
      '$.targets[0].keyAlias: unknown field',
    ]);
    expect(problemsOf({ ...clone(v3), version: 4 })).toEqual(
      expect.arrayContaining(['$.version: must be one of 1, 2, 3']),
    );
  });

  it('keeps version 2 lifecycle rules in version 3', () => {
    const bad = clone(v3);
    bad.targets[0]!['keyMaterialId'] = 'ab'.repeat(32);
    delete bad.targets[1]!['expectedKcv'];
    expect(problemsOf(bad)).toEqual([
      '$.targets[0].keyMaterialId: must be null for NEW_KEY_MATERIAL: KMS assigns it',
      '$.targets[1].expectedKcv: missing',
    ]);
  });

  it('binds each token hash, the plan digest and the ceremony name into the bundle digest', () => {
    const base = bundleDigest(v3 as unknown as ImportRequestBundle);
    const edits: ((b: Loose) => void)[] = [
      (b) => (b.targets[0]!['importTokenSha256'] = sha256Hex(randomBytes(1200).toString('base64'))),
      (b) => (b['planDigest'] = 'ab'.repeat(32)),
      (b) => (b['ceremonyName'] = 'renamed'),
    ];
    for (const edit of edits) {
      const changed = clone(v3);
      edit(changed);
      expect(bundleDigest(changed as unknown as ImportRequestBundle)).not.toBe(base);
    }
  });
});

describe('assertImportTokensFile', () => {
  const file = () => ({
    format: 'byok-ceremony/import-tokens',
    version: 1,
    requestDigest: 'ef'.repeat(32),
    tokens: [
      { keyArn: 'arn:aws:kms:eu-west-2:111122223333:key/' + randomUUID(), importToken: tokens[0] },
    ],
  });
  const fileProblems = (value: unknown): string[] => {
    try {
      assertImportTokensFile(value);
    } catch (error) {
      return [...(error as ByokError).details];
    }
    return [];
  };

  it('accepts what prepare writes and refuses every other shape', () => {
    expect(fileProblems(file())).toEqual([]);
    expect(fileProblems({ ...file(), format: 'byok-ceremony/import-request', extra: 1 })).toEqual([
      '$.extra: unknown field',
      '$.format: must be "byok-ceremony/import-tokens"',
    ]);
    expect(
      fileProblems({
        ...file(),
        version: 2,
        requestDigest: 'x',
        tokens: [{ keyArn: 'key', importToken: 'not base64!', more: 1 }],
      }),
    ).toEqual([
      '$.version: must be 1',
      '$.requestDigest: must be 64 lowercase hex digits',
      '$.tokens[0].more: unknown field',
      '$.tokens[0].keyArn: must be a KMS key ARN',
      '$.tokens[0].importToken: is not valid base64 (RFC 4648, padded, no whitespace)',
    ]);
    expect(fileProblems({ ...file(), tokens: [] })).toEqual([
      '$.tokens: must have at least 1 item(s)',
    ]);
  });
});
