import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertImportRequestBundle } from '../src/bundle/assert-import-request.js';
import { assertWrappedKeyBundle } from '../src/bundle/assert-wrapped-keys.js';
import { assertWrappedAnswersRequest } from '../src/bundle/assert-answers-request.js';
import { bundleDigest } from '../src/bundle/digest.js';
import type { ImportRequestBundle, WrappedKeyBundle } from '../src/bundle/types.js';
import { ByokError } from '../src/errors.js';
import { wrappingKeyFingerprint } from '../src/material/fingerprint.js';

let request: ImportRequestBundle;
let wrapped: WrappedKeyBundle;

function arn(): string {
  return `arn:aws:kms:eu-west-2:111122223333:key/${randomUUID()}`;
}

beforeAll(() => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const target = (keySpec: 'SYMMETRIC_DEFAULT' | 'HMAC_256', keyUsage: string, group: string) => ({
    keyArn: arn(),
    keySpec,
    keyUsage,
    materialGroup: group,
    wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
    wrappingKeySpec: 'RSA_2048',
    publicKey: spki.toString('base64'),
    importToken: randomBytes(64).toString('base64'),
    parametersValidTo: '2030-01-01T00:00:00Z',
  });
  request = {
    format: 'byok-ceremony/import-request',
    version: 1,
    ceremonyId: randomUUID(),
    createdAt: '2029-12-31T00:00:00.000Z',
    operators: ['alice', 'bob'],
    auditLogHead: null,
    targets: [
      target('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'k1'),
      target('HMAC_256', 'GENERATE_VERIFY_MAC', 'k2'),
    ],
  } as ImportRequestBundle;
  const fingerprint = wrappingKeyFingerprint(spki);
  wrapped = {
    format: 'byok-ceremony/wrapped-keys',
    version: 1,
    ceremonyId: request.ceremonyId,
    requestDigest: bundleDigest(request),
    createdAt: '2029-12-31T00:10:00Z',
    operators: ['carol', 'dave'],
    auditLogHead: createHash('sha256').update('x').digest('hex'),
    materials: [
      {
        materialGroup: 'k1',
        keySpec: 'SYMMETRIC_DEFAULT',
        source: 'generated',
        kcv: 'A1B2C3',
        proof: { kind: 'kcv-only' },
      },
      {
        materialGroup: 'k2',
        keySpec: 'HMAC_256',
        source: 'generated',
        kcv: '00FF00',
        proof: { kind: 'hmac', mac: randomBytes(32).toString('base64') },
      },
    ],
    targets: request.targets.map((t) => ({
      keyArn: t.keyArn,
      materialGroup: t.materialGroup,
      wrappingKeyFingerprint: fingerprint,
      encryptedKeyMaterial: randomBytes(256).toString('base64'),
    })),
  };
});

function problemsOf(fn: () => void): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ByokError);
    return [...(error as ByokError).details];
  }
  return [];
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('assertImportRequestBundle', () => {
  it('accepts a well-formed request', () => {
    expect(() => assertImportRequestBundle(clone(request))).not.toThrow();
  });

  it('lists every bad path in one error', () => {
    const bad = clone(request) as unknown as Record<string, unknown> & {
      targets: Record<string, unknown>[];
    };
    bad['extra'] = 1;
    bad['version'] = 4;
    bad.targets[0]!['publicKey'] = 'not base64!';
    bad.targets[1]!['keyUsage'] = 'ENCRYPT_DECRYPT';
    bad.targets[1]!['parametersValidTo'] = 'tomorrow';
    delete bad.targets[1]!['importToken'];
    const problems = problemsOf(() => assertImportRequestBundle(bad));
    expect(problems).toEqual(
      expect.arrayContaining([
        '$.extra: unknown field',
        '$.version: must be one of 1, 2, 3',
        '$.targets[0].publicKey: is not valid base64 (RFC 4648, padded, no whitespace)',
        '$.targets[1].keyUsage: ENCRYPT_DECRYPT is not a usage of HMAC_256',
        '$.targets[1].parametersValidTo: must be an RFC 3339 UTC timestamp such as 2026-01-31T12:00:00Z',
        '$.targets[1].importToken: missing',
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('refuses impossible combinations', () => {
    const bad = clone(request) as unknown as { targets: Record<string, unknown>[] };
    bad.targets[0]!['wrappingAlgorithm'] = 'RSA_AES_KEY_WRAP_SHA_256';
    bad.targets[1]!['materialGroup'] = 'k1';
    bad.targets[1]!['keyArn'] = bad.targets[0]!['keyArn'];
    bad.targets[1]!['wrappingKeySpec'] = 'RSA_4096';
    const problems = problemsOf(() => assertImportRequestBundle(bad));
    expect(problems.join('\n')).toMatch(
      /targets\[0\]\.wrappingAlgorithm: RSA_AES_KEY_WRAP_SHA_256 cannot wrap SYMMETRIC_DEFAULT/,
    );
    expect(problems.join('\n')).toMatch(/targets\[1\]\.keyArn: appears in another target too/);
    expect(problems.join('\n')).toMatch(
      /targets\[1\]\.materialGroup: shares material with a SYMMETRIC_DEFAULT key/,
    );
    expect(problems.join('\n')).toMatch(
      /targets\[1\]\.publicKey: is 294 bytes, but an RSA_4096 public key is 550 bytes/,
    );
  });

  it('refuses non-objects and empty target lists', () => {
    expect(problemsOf(() => assertImportRequestBundle(null))).toEqual(['$: must be an object']);
    expect(problemsOf(() => assertImportRequestBundle({ ...clone(request), targets: [] }))).toEqual(
      ['$.targets: must have at least 1 item(s)'],
    );
  });
});

describe('import request version 2', () => {
  const v2 = (changes: (t: Record<string, unknown>, i: number) => void): unknown => {
    const bundle = clone(request) as unknown as Record<string, unknown> & {
      targets: Record<string, unknown>[];
    };
    bundle['version'] = 2;
    bundle.targets.forEach((t, i) => {
      t['importType'] = 'NEW_KEY_MATERIAL';
      t['keyMaterialId'] = null;
      t['expectedKcv'] = null;
      changes(t, i);
    });
    return bundle;
  };

  it('accepts import types, a KeyMaterialId and an expected KCV for a re-import', () => {
    const ok = v2((t, i) => {
      if (i === 0) {
        t['importType'] = 'EXISTING_KEY_MATERIAL';
        t['keyMaterialId'] = 'a'.repeat(64);
        t['expectedKcv'] = 'A1B2C3';
      }
    });
    expect(() => assertImportRequestBundle(ok)).not.toThrow();
  });

  it('requires the version 2 fields there and refuses them in version 1', () => {
    const missing = clone(request) as unknown as Record<string, unknown>;
    missing['version'] = 2;
    expect(problemsOf(() => assertImportRequestBundle(missing))).toContain(
      '$.targets[0].importType: missing',
    );
    const v1 = clone(request) as unknown as { targets: Record<string, unknown>[] };
    v1.targets[0]!['importType'] = 'NEW_KEY_MATERIAL';
    expect(problemsOf(() => assertImportRequestBundle(v1))).toContain(
      '$.targets[0].importType: unknown field',
    );
  });

  it('refuses a KeyMaterialId or KCV with new material, bad values, and two NEW targets in a group', () => {
    const bad = v2((t, i) => {
      t['materialGroup'] = 'k1';
      t['keySpec'] = 'SYMMETRIC_DEFAULT';
      t['keyUsage'] = 'ENCRYPT_DECRYPT';
      if (i === 0) {
        t['keyMaterialId'] = 'b'.repeat(64);
        t['expectedKcv'] = 'abc';
      } else t['importType'] = 'ROTATE';
    });
    const problems = problemsOf(() => assertImportRequestBundle(bad));
    expect(problems).toEqual(
      expect.arrayContaining([
        '$.targets[0].keyMaterialId: must be null for NEW_KEY_MATERIAL: KMS assigns it',
        '$.targets[0].expectedKcv: must be null or six uppercase hex digits',
        '$.targets[1].importType: must be one of NEW_KEY_MATERIAL, EXISTING_KEY_MATERIAL',
      ]),
    );
    const twoNew = v2((t) => {
      t['materialGroup'] = 'k1';
      t['keySpec'] = 'SYMMETRIC_DEFAULT';
      t['keyUsage'] = 'ENCRYPT_DECRYPT';
    });
    expect(problemsOf(() => assertImportRequestBundle(twoNew))).toContain(
      '$.targets[1].importType: a second NEW_KEY_MATERIAL target in its material group',
    );
  });
});

describe('assertWrappedKeyBundle', () => {
  it('accepts a well-formed bundle', () => {
    expect(() => assertWrappedKeyBundle(clone(wrapped))).not.toThrow();
  });

  it('refuses a proof of the wrong kind, a bad KCV and a target of an unknown group', () => {
    const bad = clone(wrapped) as unknown as {
      materials: Record<string, unknown>[];
      targets: Record<string, unknown>[];
    };
    bad.materials[1]!['proof'] = { kind: 'kcv-only' };
    bad.materials[0]!['kcv'] = 'a1b2c3';
    bad.targets[1]!['materialGroup'] = 'k9';
    const problems = problemsOf(() => assertWrappedKeyBundle(bad));
    expect(problems).toEqual(
      expect.arrayContaining([
        '$.materials[1].proof.kind: must be hmac for a HMAC_256 key',
        '$.materials[0].kcv: must be six uppercase hex digits',
        '$.targets[1].materialGroup: names no entry of $.materials',
        '$.materials: group k2 has no target',
      ]),
    );
  });
});

describe('bundleDigest', () => {
  it('covers every field', () => {
    const base = bundleDigest(request);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(bundleDigest(clone(request))).toBe(base);
    expect(bundleDigest({ ...request, operators: ['alice', 'mallory'] })).not.toBe(base);
    const swapped = clone(request) as unknown as { targets: Record<string, unknown>[] };
    swapped.targets[0]!['importToken'] = randomBytes(64).toString('base64');
    expect(bundleDigest(swapped as unknown as ImportRequestBundle)).not.toBe(base);
  });
});

describe('assertWrappedAnswersRequest', () => {
  it('accepts the answer to this request', () => {
    expect(() => assertWrappedAnswersRequest(request, wrapped)).not.toThrow();
  });

  it('refuses an answer to another request or under another public key', () => {
    const other = { ...request, createdAt: '2029-12-31T00:00:01Z' };
    expect(() => assertWrappedAnswersRequest(other, wrapped)).toThrow(
      /does not answer this import request/,
    );
    const substituted = clone(wrapped) as unknown as { targets: Record<string, unknown>[] };
    substituted.targets[0]!['wrappingKeyFingerprint'] = '0'.repeat(64);
    expect(() =>
      assertWrappedAnswersRequest(request, substituted as unknown as WrappedKeyBundle),
    ).toThrow(/targets\[0\] was wrapped under another public key/);
  });
});
