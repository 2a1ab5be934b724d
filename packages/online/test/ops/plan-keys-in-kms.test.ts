import { describe, expect, it } from 'vitest';
import { checkPlan, type CeremonyPlan } from '@byok-ceremony/shared';
import type { KeyDescription, KmsPort } from '../../src/kms/kms-port.js';
import { planKeysInKms } from '../../src/ops/plan-keys-in-kms.js';
import { FakeKmsPort } from '../helpers/fake-kms-port.js';

const ACCOUNT = '111122223333';
const POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*"}]}';

function planOf(keys: readonly Record<string, unknown>[]): CeremonyPlan {
  return checkPlan(
    {
      format: 'byok-ceremony/plan',
      version: 1,
      name: 'unit',
      account: ACCOUNT,
      region: 'eu-west-2',
      operators: [
        { name: 'ALICE', operatorKey: '1'.repeat(64) },
        { name: 'BOB', operatorKey: '2'.repeat(64) },
      ],
      witness: 'WENDY',
      material: { source: 'generate' },
      backup: 'none',
      keys,
    },
    'plan.yaml',
  );
}

function described(arn: string, fields: Partial<KeyDescription> = {}): KeyDescription {
  return {
    keyId: arn.split('/')[1]!,
    arn,
    keyState: 'PendingImport',
    origin: 'EXTERNAL',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    description: '',
    expirationModel: undefined,
    validTo: undefined,
    currentKeyMaterialId: undefined,
    multiRegion: false,
    multiRegionKeyType: undefined,
    primaryKeyArn: undefined,
    replicaKeyArns: [],
    ...fields,
  };
}

/** KMS holding `keys` under their aliases, each with `policy` and no tags. */
function kmsHolding(keys: Record<string, KeyDescription>, policy: string): KmsPort {
  const kms = new FakeKmsPort();
  kms.listAliases = () =>
    Promise.resolve(
      Object.entries(keys).map(([aliasName, d]) => ({
        aliasName,
        targetKeyId: d.keyId,
        aliasArn: `arn:aws:kms:eu-west-2:${ACCOUNT}:${aliasName}`,
      })),
    );
  kms.describeKey = (keyId) => {
    const d = keys[keyId] ?? Object.values(keys).find((k) => k.arn === keyId);
    return d === undefined ? Promise.reject(new Error(`no ${keyId}`)) : Promise.resolve(d);
  };
  kms.getKeyPolicy = () => Promise.resolve(policy);
  return Object.assign(kms, { region: 'eu-west-2' });
}

const compare = (kms: KmsPort, plan: CeremonyPlan) =>
  planKeysInKms(kms, () => Promise.resolve(kms), {
    plan,
    policies: new Map([['policy.json', POLICY]]),
    importedOnRecord: new Set(),
    createdWithoutAlias: new Map(),
    concurrency: 2,
  });

const arn = (id: string, region = 'eu-west-2') => `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`;

describe('planKeysInKms', () => {
  it('takes a policy that KMS answers with other spacing and member order as the same', async () => {
    const reformatted = JSON.stringify(
      { Statement: [{ Action: 'kms:*', Effect: 'Allow' }], Version: '2012-10-17' },
      null,
      4,
    );
    const kms = kmsHolding({ 'alias/a': described(arn('a-1')) }, reformatted);
    const { differences, found } = await compare(
      kms,
      planOf([{ alias: 'alias/a', keySpec: 'SYMMETRIC_DEFAULT', policyFile: 'policy.json' }]),
    );
    expect(differences).toEqual([]);
    expect(found[0]?.primary?.arn).toBe(arn('a-1'));
  });

  it('lists every difference of every key: policy, description, replicas, deletion, material, account', async () => {
    const primary = arn('mrk-1');
    const kms = kmsHolding(
      {
        'alias/policy': described(arn('p-1'), { description: 'old' }),
        'alias/mrk': described(primary, {
          multiRegion: true,
          multiRegionKeyType: 'PRIMARY',
          replicaKeyArns: [arn('mrk-1', 'ap-south-1')],
        }),
        'alias/deleting': described(arn('d-1'), { keyState: 'PendingDeletion' }),
        'alias/imported': described(arn('i-1'), { keyState: 'Enabled' }),
        'alias/foreign': described('arn:aws:kms:eu-west-2:444455556666:key/f-1'),
      },
      '{"Statement":[]}',
    );
    const { differences } = await compare(
      kms,
      planOf([
        { alias: 'alias/policy', keySpec: 'SYMMETRIC_DEFAULT', policyFile: 'policy.json' },
        { alias: 'alias/mrk', keySpec: 'SYMMETRIC_DEFAULT', replicaRegions: ['us-east-1'] },
        { alias: 'alias/deleting', keySpec: 'SYMMETRIC_DEFAULT' },
        { alias: 'alias/imported', keySpec: 'SYMMETRIC_DEFAULT' },
        { alias: 'alias/foreign', keySpec: 'SYMMETRIC_DEFAULT' },
        { alias: 'alias/missing', keySpec: 'HMAC_256' },
      ]),
    );
    expect(differences).toEqual([
      'alias/policy: Description is "old" in KMS, "" in the plan',
      'alias/mrk: has replicas in ap-south-1 in KMS, which the plan does not list',
      'alias/deleting: is PendingDeletion in KMS: a key scheduled for deletion takes no material',
      `alias/imported: this plan's material was imported already (${arn('i-1')} is Enabled)`,
      'alias/foreign: account is 444455556666 in KMS, 111122223333 in the plan',
    ]);
  });

  it('refuses a plan whose policy KMS does not hold, once the key matches otherwise', async () => {
    const kms = kmsHolding({ 'alias/a': described(arn('a-1')) }, '{"Statement":[]}');
    const { differences } = await compare(
      kms,
      planOf([{ alias: 'alias/a', keySpec: 'SYMMETRIC_DEFAULT', policyFile: 'policy.json' }]),
    );
    expect(differences).toEqual(["alias/a: key policy in KMS is not the plan's policy.json"]);
  });
});
