import { describe, expect, it } from 'vitest';
import { ByokError, checkPlan, type CeremonyPlan } from '@byok-ceremony/shared';
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
  kms.listResourceTags = () => Promise.resolve([]);
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

  it('compares tags as a whole set even where the plan lists none', async () => {
    const kms = kmsHolding({ 'alias/a': described(arn('a-1')) }, POLICY);
    kms.listResourceTags = () => Promise.resolve([{ key: 'access', value: 'everyone' }]);
    const { differences } = await compare(
      kms,
      planOf([{ alias: 'alias/a', keySpec: 'SYMMETRIC_DEFAULT' }]),
    );
    expect(differences).toEqual(['alias/a: tags are access=everyone in KMS, none in the plan']);
  });

  describe('a key an earlier run logged creating, whose alias was not', () => {
    const logged = (
      kms: KmsPort,
      keys: Record<string, unknown>[] = [{ alias: 'alias/a', keySpec: 'SYMMETRIC_DEFAULT' }],
    ) =>
      planKeysInKms(kms, () => Promise.resolve(kms), {
        plan: planOf(keys),
        policies: new Map(),
        importedOnRecord: new Set(),
        createdWithoutAlias: new Map([['alias/a', arn('a-1')]]),
        concurrency: 2,
      });
    /** KMS where the alias does not exist and the logged ARN describes as `d` (or not at all). */
    function kmsWithout(d: KeyDescription | Error): KmsPort {
      const kms = kmsHolding({}, POLICY);
      kms.describeKey = (keyId) =>
        keyId !== arn('a-1')
          ? Promise.reject(new Error(`no ${keyId}`))
          : d instanceof Error
            ? Promise.reject(d)
            : Promise.resolve(d);
      return kms;
    }

    it('is taken by its ARN, compared with the plan, and marked for its alias', async () => {
      const { found, differences } = await logged(kmsWithout(described(arn('a-1'))));
      expect(differences).toEqual([]);
      expect(found[0]).toMatchObject({ primary: { arn: arn('a-1') }, aliasMissing: true });
    });

    it('differs from the plan like any key found: its tags, or another key under its ARN', async () => {
      const tagged = kmsWithout(described(arn('a-1')));
      tagged.listResourceTags = () => Promise.resolve([{ key: 'owner', value: 'mallory' }]);
      expect((await logged(tagged)).differences).toEqual([
        'alias/a: tags are owner=mallory in KMS, none in the plan',
      ]);
      const other = await logged(kmsWithout(described(arn('b-2'))));
      expect(other.differences).toEqual([
        `alias/a: the key logged as created, ${arn('a-1')}, is ${arn('b-2')} in KMS`,
      ]);
    });

    it('counts as missing once KMS no longer has it or is deleting it', async () => {
      const gone = new ByokError('ERR_KMS', 'KMS refused DescribeKey', {
        cause: Object.assign(new Error('not found'), { name: 'NotFoundException' }),
      });
      for (const kms of [
        kmsWithout(gone),
        kmsWithout(described(arn('a-1'), { keyState: 'PendingDeletion' })),
      ]) {
        const { found, differences } = await logged(kms);
        expect(differences).toEqual([]);
        expect(found[0]?.primary).toBeUndefined();
      }
      const denied = new ByokError('ERR_KMS', 'KMS refused DescribeKey', {
        cause: Object.assign(new Error('denied'), { name: 'AccessDeniedException' }),
      });
      await expect(logged(kmsWithout(denied))).rejects.toBe(denied);
    });
  });
});
