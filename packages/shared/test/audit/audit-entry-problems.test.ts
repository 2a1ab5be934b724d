import { describe, expect, it } from 'vitest';
import { auditEntryProblems } from '../../src/audit/audit-entry-problems.js';
import { ceremonyLogs } from './fixture-logs.js';

/** The import entry of the fixture ceremony, parsed: keys carry every recorded field. */
function importEntry(): Record<string, unknown> & { keys: Record<string, unknown>[] } {
  const line = ceremonyLogs()
    .online.split('\n')
    .find((l) => l.includes('"command":"import"'))!;
  return JSON.parse(line) as Record<string, unknown> & { keys: Record<string, unknown>[] };
}

function withKey(fields: Record<string, unknown>): unknown {
  const entry = importEntry();
  return { ...entry, keys: [{ ...entry.keys[0]!, ...fields }] };
}

describe('auditEntryProblems', () => {
  it('accepts the entries the tools write', () => {
    expect(auditEntryProblems(importEntry())).toEqual([]);
  });

  it('checks keyState against the KMS KeyState values', () => {
    expect(auditEntryProblems(withKey({ keyState: { smuggled: 'x'.repeat(40) } }))).toEqual([
      expect.stringMatching(/^entry\.keys\[0\]\.keyState: must be one of Creating, Enabled,/),
    ]);
    expect(auditEntryProblems(withKey({ keyState: 'Enabled, honestly' }))).toHaveLength(1);
    for (const state of ['Creating', 'Disabled', 'PendingImport', 'Unavailable', 'Updating'])
      expect(auditEntryProblems(withKey({ keyState: state }))).toEqual([]);
  });

  it("takes a key's alias as KMS names one, and a share's SHA-256; entries without either as before", () => {
    expect(auditEntryProblems(withKey({ alias: 'alias/payments-a' }))).toEqual([]);
    for (const alias of ['payments-a', 'alias/', 'alias/with space', `alias/${'a'.repeat(251)}`])
      expect(auditEntryProblems(withKey({ alias }))).toEqual([
        'entry.keys[0].alias: must be a KMS alias name (alias/NAME)',
      ]);
    const wrap = (shares: unknown[]): unknown => ({
      ...importEntry(),
      tool: 'byok-offline',
      command: 'wrap',
      backup: {
        schemes: ['shamir:2-of-3'],
        setDigest: 'd'.repeat(64),
        splitId: '0'.repeat(32),
        shares,
        files: [],
        covers: [],
      },
    });
    const share = { index: 1, count: 3, threshold: 2 };
    expect(auditEntryProblems(wrap([share]))).toEqual([]);
    expect(auditEntryProblems(wrap([{ ...share, sha256: 'e'.repeat(64) }]))).toEqual([]);
    expect(auditEntryProblems(wrap([{ ...share, sha256: 'a share, smuggled' }]))).toEqual([
      expect.stringMatching(/^entry\.backup\.shares\[0\]\.sha256: /),
    ]);
    expect(auditEntryProblems(wrap([{ ...share, data: 'x' }]))).toEqual([
      'entry.backup.shares[0].data: unknown field',
    ]);
  });

  it('checks every key field by its own format', () => {
    const problems = auditEntryProblems(
      withKey({
        keyArn: 'arn:aws:kms:anything goes',
        keySpec: 'symmetric default',
        materialGroup: '-a',
        wrappingKeyFingerprint: 'A'.repeat(64),
        parametersValidTo: 'tomorrow',
        kcv: 'abc123',
        keyMaterialId: 'c'.repeat(63),
        proof: 'trust me',
      }),
    );
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'entry.keys[0].keyArn',
      'entry.keys[0].keySpec',
      'entry.keys[0].materialGroup',
      'entry.keys[0].wrappingKeyFingerprint',
      'entry.keys[0].parametersValidTo',
      'entry.keys[0].kcv',
      'entry.keys[0].keyMaterialId',
      'entry.keys[0].proof',
    ]);
  });

  it("checks prepare --plan's fields: the plan's name and digest, each key's alias and what was created", () => {
    const plan = { name: 'payments 2026-Q4', digest: 'a'.repeat(64) };
    expect(
      auditEntryProblems({
        ...(withKey({ alias: 'alias/payments-data', created: ['key', 'alias'] }) as object),
        plan,
      }),
    ).toEqual([]);
    const problems = auditEntryProblems({
      ...(withKey({ alias: 'payments-data', created: ['key', 'policy'] }) as object),
      plan: { name: '', digest: 'A'.repeat(64), signedBy: 'nobody' },
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'entry.keys[0].alias',
      'entry.keys[0].created[1]',
      'entry.plan.signedBy',
      'entry.plan.name',
      'entry.plan.digest',
    ]);
  });

  it('accepts a well-formed kms record on byok-online entries and checks its shape strictly', () => {
    const entry = importEntry();
    const kms = { endpoint: null, region: 'eu-west-1', accounts: ['111122223333'] };
    expect(auditEntryProblems({ ...entry, kms })).toEqual([]);
    expect(
      auditEntryProblems({ ...entry, kms: { ...kms, endpoint: 'http://127.0.0.1:4599' } }),
    ).toEqual([]);
    expect(auditEntryProblems({ ...entry, kms: { ...kms, accounts: [] } })).toEqual([]);
    expect(
      auditEntryProblems({
        ...entry,
        kms: { endpoint: 'ftp://x y', region: 'EU WEST', accounts: ['1234', '1234'], note: 1 },
      }),
    ).toEqual([
      'entry.kms.note: unknown field',
      'entry.kms.endpoint: must be null or an http(s) URL',
      'entry.kms.region: must be an AWS Region name',
      'entry.kms.accounts[0]: must be a 12-digit AWS account id',
      'entry.kms.accounts[1]: must be a 12-digit AWS account id',
      'entry.kms.accounts: names an account twice',
    ]);
    expect(auditEntryProblems({ ...entry, kms: { region: 'eu-west-1' } })).toEqual([
      'entry.kms.endpoint: missing',
      'entry.kms.accounts: missing',
    ]);
    expect(auditEntryProblems({ ...entry, kms: 'aws' })).toEqual(['entry.kms: must be an object']);
    expect(auditEntryProblems({ ...entry, tool: 'byok-offline', kms })).toEqual([
      'entry.kms: only byok-online entries record a KMS',
    ]);
  });

  it('takes labels that name any KMS key ARN, as rotations and raw files do, and only those', () => {
    const entry = importEntry();
    const id = 'd'.repeat(64);
    const arns = [
      'arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555',
      'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef',
      'arn:aws-iso-b:kms:us-isob-east-1:111122223333:key/11111111-2222-3333-4444-555555555555',
      'arn:aws-cn:kms:cn-northwest-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef',
    ];
    for (const arn of arns) {
      expect(arn.length + 'rotation:'.length).toBeGreaterThan(64);
      const outputs = {
        [`rotation:${arn}`]: id,
        [`raw:${arn}/PublicKey.bin`]: id,
        [`raw:${arn}/ImportToken.bin`]: id,
      };
      expect(auditEntryProblems({ ...entry, outputs })).toEqual([]);
      expect(auditEntryProblems({ ...entry, inputs: outputs })).toEqual([]);
    }
    const arn = arns[0]!;
    for (const label of [
      `rotation:${arn.replace('key/', 'alias/')}`,
      `rotation:${arn}0`,
      `rotation:${arn}/`,
      `rotation:${arn}/../x`,
      `rotation:${arn}/a/b`,
      `rotation:arn:aws:kms:eu-west-1:111122223333:key/not-a-key-id`,
      `rotation ${arn}`,
      `:${arn}`,
      `x${'y'.repeat(64)}`,
      'a/b',
    ])
      expect(auditEntryProblems({ ...entry, outputs: { [label]: id } })).toEqual([
        `entry.outputs.${label}: is not a valid label`,
      ]);
  });

  it('checks the CurrentKeyMaterialId a prepare records as a KeyMaterialId', () => {
    expect(auditEntryProblems(withKey({ currentKeyMaterialId: 'e'.repeat(64) }))).toEqual([]);
    expect(auditEntryProblems(withKey({ currentKeyMaterialId: 'E'.repeat(64) }))).toEqual([
      'entry.keys[0].currentKeyMaterialId: must be 64 lowercase hex digits',
    ]);
  });

  it('accepts the token record of wrap --hsm and checks its shape strictly', () => {
    const hsm = {
      token: {
        label: 'ceremony',
        serial: 'abef21c89615afda',
        manufacturer: 'SoftHSM project',
        model: 'SoftHSM v2',
      },
      objects: [
        {
          materialGroup: 'k1',
          label: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f/arn:aws:kms:eu-west-2:111122223333:key/x',
          id: '0a1b'.repeat(8),
        },
      ],
    };
    expect(auditEntryProblems({ ...importEntry(), hsm })).toEqual([]);
    expect(auditEntryProblems({ ...importEntry(), hsm: { ...hsm, objects: [] } })).toEqual([]);
    const bad = {
      token: {
        label: 'x'.repeat(33),
        serial: 'a\nb',
        manufacturer: 'SoftHSM',
        model: 7,
        pin: '1234',
      },
      objects: [{ materialGroup: '-k', label: 'l', id: 'ABCD' }],
    };
    expect(auditEntryProblems({ ...importEntry(), hsm: bad }).map((p) => p.split(':')[0])).toEqual([
      'entry.hsm.token.pin',
      'entry.hsm.token.label',
      'entry.hsm.token.serial',
      'entry.hsm.token.model',
      'entry.hsm.objects[0].materialGroup',
      'entry.hsm.objects[0].id',
    ]);
  });

  it('refuses unknown fields at every depth', () => {
    const entry = importEntry();
    expect(auditEntryProblems({ ...entry, note: 'x' })).toEqual(['entry.note: unknown field']);
    expect(auditEntryProblems(withKey({ note: 'x' }))).toEqual([
      'entry.keys[0].note: unknown field',
    ]);
    expect(
      auditEntryProblems({
        ...entry,
        outcome: 'error',
        error: { code: 'ERR_X', message: 'm', x: 1 },
      }),
    ).toEqual(['entry.error.x: unknown field']);
    expect(
      auditEntryProblems({
        ...entry,
        signatures: [{ operator: 'ALICE', publicKey: 'AA==', signature: 'AA==', x: 1 }],
      }),
    ).toEqual(['entry.signatures[0].x: unknown field']);
  });
});
