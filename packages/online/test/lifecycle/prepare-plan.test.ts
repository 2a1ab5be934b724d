import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { REHEARSAL_CREDENTIALS } from '@byok-ceremony/kms-sim';
import { describe, expect, it } from 'vitest';
import { prepareArgv } from '../../../../test/ceremony/driver.mjs';
import { carry } from '../helpers/ceremony-driver.js';
import { startCountingProxy } from '../helpers/counting-proxy.js';
import { simForThisFile } from '../helpers/sim-env.js';
import { Ceremony } from './ceremony-steps.js';

const s = simForThisFile({ otherRegions: ['us-east-1'] });

const ACCOUNT = '111122223333';

const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Ceremony imports only",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::${ACCOUNT}:role/ceremony" },
      "Action": ["kms:GetParametersForImport", "kms:ImportKeyMaterial", "kms:DescribeKey"],
      "Resource": "*"
    },
    {
      "Sid": "Account administrators",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::${ACCOUNT}:root" },
      "Action": "kms:*",
      "Resource": "*"
    }
  ]
}
`;

/** A plan for the simulator's account and Region, the driver's online operators, these keys. */
function planText(keys: string, account = ACCOUNT): string {
  return `format: byok-ceremony/plan
version: 1
name: plan rehearsal
account: "${account}"
region: eu-west-2
operators:
  - name: ALICE
    operatorKey: "${'1'.repeat(64)}"
  - name: BOB
    operatorKey: "${'2'.repeat(64)}"
witness: WENDY
material:
  source: generate
backup: none
keys:
${keys}`;
}

const KEYS = `  - alias: alias/plan-data
    keySpec: SYMMETRIC_DEFAULT
    description: payments data
    tags: {team: payments, cost-centre: "42"}
    policyFile: policy.json
    replicaRegions: [us-east-1]
  - alias: alias/plan-mac
    keySpec: HMAC_256
    description: payments MAC
    tags: {team: payments}
  - alias: alias/plan-sign
    keySpec: ECC_NIST_P256
  - alias: alias/plan-rsa
    keySpec: RSA_2048
    keyUsage: ENCRYPT_DECRYPT
    description: payments RSA
    policyFile: policy.json
`;

interface PreparedTarget {
  keyArn: string;
  keySpec: string;
  materialGroup: string;
  importType: string;
  alias?: string;
}

interface Prepared {
  checkCode: string;
  targets: PreparedTarget[];
}

interface LoggedKey {
  keyArn: string;
  alias?: string;
  created?: string[];
}

interface LoggedEntry {
  command: string;
  outcome: string;
  plan?: { name: string; digest: string };
  keys: LoggedKey[];
}

function clientIn(region: string): KMSClient {
  return new KMSClient({ region, endpoint: s.sim.url, credentials: REHEARSAL_CREDENTIALS });
}

async function keyCount(kms: KMSClient): Promise<number> {
  return (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys?.length ?? 0;
}

async function aliasTargets(): Promise<Map<string, string>> {
  const out = await s.kms.send(new ListAliasesCommand({ Limit: 100 }));
  return new Map((out.Aliases ?? []).map((a) => [a.AliasName!, a.TargetKeyId!]));
}

async function entries(c: Ceremony): Promise<LoggedEntry[]> {
  const text = await readFile(join(c.onlineDir, 'byok-online-audit.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LoggedEntry);
}

async function planCode(
  c: Ceremony,
  file: string,
): Promise<{ planCode: string; planDigest: string }> {
  const r = await c.online(['plan', 'check', file, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { planCode: string; planDigest: string };
}

const absent = (path: string): Promise<boolean> =>
  access(path).then(
    () => false,
    () => true,
  );

describe('prepare --plan: creates what the plan names in KMS, idempotently, then prepares its keys', () => {
  it(
    'mixed specs with a replica: creates only what is missing, is in KMS as the plan says, a re-run creates nothing; wrap and import end Enabled and VERIFIED',
    { timeout: 0 },
    async () => {
      const c = await Ceremony.start(s);
      await writeFile(join(c.onlineDir, 'plan.yaml'), planText(KEYS));
      await writeFile(join(c.onlineDir, 'policy.json'), POLICY);
      const { planCode: code, planDigest } = await planCode(c, 'plan.yaml');

      // An earlier run stopped part-way: the MAC key and the data key's primary exist as planned.
      const mac = await s.kms.send(
        new CreateKeyCommand({
          Origin: 'EXTERNAL',
          KeySpec: 'HMAC_256',
          KeyUsage: 'GENERATE_VERIFY_MAC',
          Description: 'payments MAC',
          Tags: [{ TagKey: 'team', TagValue: 'payments' }],
        }),
      );
      await s.kms.send(
        new CreateAliasCommand({
          AliasName: 'alias/plan-mac',
          TargetKeyId: mac.KeyMetadata!.KeyId,
        }),
      );
      const data = await s.kms.send(
        new CreateKeyCommand({
          Origin: 'EXTERNAL',
          Description: 'payments data',
          MultiRegion: true,
          Policy: POLICY,
          Tags: [
            { TagKey: 'cost-centre', TagValue: '42' },
            { TagKey: 'team', TagValue: 'payments' },
          ],
        }),
      );
      await s.kms.send(
        new CreateAliasCommand({
          AliasName: 'alias/plan-data',
          TargetKeyId: data.KeyMetadata!.KeyId,
        }),
      );
      const east = clientIn('us-east-1');
      const before = { home: await keyCount(s.kms), east: await keyCount(east) };

      // The first run goes through a proxy that counts each KMS operation.
      const proxy = await startCountingProxy(s.sim.url);
      const run = await c.online(
        [...prepareArgv('request.json', ['--plan', 'plan.yaml']), '--json'],
        ['--endpoint-url', proxy.url, '--region', 'eu-west-2'],
      );
      await proxy.close();
      expect(run.code, run.stderr).toBe(0);
      const first = { ...(JSON.parse(run.stdout) as Prepared), stderr: run.stderr };
      // Keys found are described once; keys made are not described or listed before their
      // parameters, and a found key that never held material is not listed either.
      const counted = new Map<string, number>();
      for (const op of proxy.operations) counted.set(op, (counted.get(op) ?? 0) + 1);
      expect(Object.fromEntries(counted)).toEqual({
        ListAliases: 1,
        DescribeKey: 2,
        ListResourceTags: 2,
        GetKeyPolicy: 1,
        CreateKey: 2,
        CreateAlias: 2,
        ReplicateKey: 1,
        GetParametersForImport: 5,
      });
      // The plan code comes first, for the witness to compare with the signed sheet.
      expect(first.stderr).toContain(`Plan code: ${code}`);
      const aliases = await aliasTargets();
      const arnOf = (alias: string) =>
        `arn:aws:kms:eu-west-2:${ACCOUNT}:key/${aliases.get(alias)!}`;
      const dataArn = data.KeyMetadata!.Arn!;
      const replicaArn = dataArn.replace(':eu-west-2:', ':us-east-1:');
      expect(arnOf('alias/plan-data')).toBe(dataArn);
      expect(arnOf('alias/plan-mac')).toBe(mac.KeyMetadata!.Arn);
      expect(
        first.targets.map((t) => [t.keyArn, t.keySpec, t.materialGroup, t.importType, t.alias]),
      ).toEqual([
        [dataArn, 'SYMMETRIC_DEFAULT', 'plan-data', 'NEW_KEY_MATERIAL', 'alias/plan-data'],
        [replicaArn, 'SYMMETRIC_DEFAULT', 'plan-data', 'EXISTING_KEY_MATERIAL', undefined],
        [mac.KeyMetadata!.Arn, 'HMAC_256', 'plan-mac', 'NEW_KEY_MATERIAL', 'alias/plan-mac'],
        [
          arnOf('alias/plan-sign'),
          'ECC_NIST_P256',
          'plan-sign',
          'NEW_KEY_MATERIAL',
          'alias/plan-sign',
        ],
        [arnOf('alias/plan-rsa'), 'RSA_2048', 'plan-rsa', 'NEW_KEY_MATERIAL', 'alias/plan-rsa'],
      ]);
      // Two keys and one replica made: nothing that existed was made again.
      expect(await keyCount(s.kms)).toBe(before.home + 2);
      expect(await keyCount(east)).toBe(before.east + 1);

      // KMS holds what the plan says, read with the test's own client.
      const rsa = await s.kms.send(new DescribeKeyCommand({ KeyId: 'alias/plan-rsa' }));
      expect(rsa.KeyMetadata).toMatchObject({
        Origin: 'EXTERNAL',
        KeySpec: 'RSA_2048',
        KeyUsage: 'ENCRYPT_DECRYPT',
        Description: 'payments RSA',
        KeyState: 'PendingImport',
        MultiRegion: false,
      });
      expect(
        (await s.kms.send(new GetKeyPolicyCommand({ KeyId: rsa.KeyMetadata!.Arn }))).Policy,
      ).toBe(POLICY);
      const sign = await s.kms.send(new DescribeKeyCommand({ KeyId: 'alias/plan-sign' }));
      expect(sign.KeyMetadata).toMatchObject({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        Origin: 'EXTERNAL',
      });
      const replica = await east.send(new DescribeKeyCommand({ KeyId: replicaArn }));
      expect(replica.KeyMetadata).toMatchObject({
        Description: 'payments data',
        KeyState: 'PendingImport',
        MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: dataArn } },
      });
      expect((await east.send(new GetKeyPolicyCommand({ KeyId: replicaArn }))).Policy).toBe(POLICY);
      const replicaTags = (await east.send(new ListResourceTagsCommand({ KeyId: replicaArn })))
        .Tags;
      expect(new Map(replicaTags?.map((t) => [t.TagKey, t.TagValue]))).toEqual(
        new Map([
          ['team', 'payments'],
          ['cost-centre', '42'],
        ]),
      );

      // The entry names the plan, each key's alias, and what this run created.
      const firstEntry = (await entries(c)).at(-1)!;
      expect(firstEntry.command).toBe('prepare');
      expect(firstEntry.plan).toEqual({ name: 'plan rehearsal', digest: planDigest });
      expect(firstEntry.keys.map((k) => [k.keyArn, k.alias, k.created])).toEqual([
        [dataArn, 'alias/plan-data', undefined],
        [replicaArn, undefined, ['replica']],
        [mac.KeyMetadata!.Arn, 'alias/plan-mac', undefined],
        [arnOf('alias/plan-sign'), 'alias/plan-sign', ['key', 'alias']],
        [arnOf('alias/plan-rsa'), 'alias/plan-rsa', ['key', 'alias']],
      ]);

      // Run again: nothing created, a new request for the same keys.
      const again = await c.prepare<PreparedTarget>('request-2.json', ['--plan', 'plan.yaml']);
      expect(again.targets.map((t) => t.keyArn)).toEqual(first.targets.map((t) => t.keyArn));
      expect(again.checkCode).not.toBe(first.checkCode);
      expect(await keyCount(s.kms)).toBe(before.home + 2);
      expect(await keyCount(east)).toBe(before.east + 1);
      expect((await entries(c)).at(-1)!.keys.every((k) => k.created === undefined)).toBe(true);

      // The flag-driven wrap and import take the plan's request as any other.
      const wrappedCode = await c.wrap('request-2.json', again.checkCode, 'wrapped.json');
      const imported = await c.import<{ keys: { keyArn: string; keyState: string }[] }>(
        'request-2.json',
        'wrapped.json',
        wrappedCode,
      );
      expect(imported.keys.map((k) => k.keyState)).toEqual(Array(5).fill('Enabled'));
      const verified = await c.verifyLogs();
      expect(verified.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(verified.verdict).toBe('VERIFIED');

      // The plan's material is in KMS now: a third run is refused, and says why.
      const third = await c.operated(['prepare', '--plan', 'plan.yaml', '--out', 'request-3.json']);
      expect(third.code).not.toBe(0);
      expect(third.stderr).toContain("alias/plan-data: this plan's material was imported already");
      expect(third.stderr).toContain('hint: A plan imports each key');
      expect(await absent(join(c.onlineDir, 'request-3.json'))).toBe(true);
      east.destroy();
    },
  );

  it(
    'a run that fails part-way logs what it created; the next run finds it and creates only the rest',
    { timeout: 0 },
    async () => {
      const c = await Ceremony.start(s);
      await writeFile(
        join(c.onlineDir, 'plan.yaml'),
        planText(`  - alias: alias/partway-data
    keySpec: SYMMETRIC_DEFAULT
    tags: {team: payments}
    replicaRegions: [us-east-1]
  - alias: alias/partway-mac
    keySpec: HMAC_512
`),
      );
      const proxy = await startCountingProxy(s.sim.url);
      const through = ['--endpoint-url', proxy.url, '--region', 'eu-west-2'];
      // KMS refuses the replica: the primary and its alias exist, the MAC key not yet.
      proxy.refuse('ReplicateKey', 1, 'LimitExceededException');
      const failed = await c.online(
        [...prepareArgv('request.json', ['--plan', 'plan.yaml']), '--json'],
        through,
      );
      expect(failed.code).not.toBe(0);
      expect(failed.stderr).toContain('LimitExceededException');
      expect(await absent(join(c.onlineDir, 'request.json'))).toBe(true);
      const aliases = await aliasTargets();
      expect(aliases.has('alias/partway-mac')).toBe(false);
      const dataArn = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/${aliases.get('alias/partway-data')!}`;
      const failedEntry = (await entries(c)).at(-1)!;
      expect(failedEntry.outcome).toBe('error');
      expect(failedEntry.plan?.name).toBe('plan rehearsal');
      expect(failedEntry.keys.map((k) => [k.keyArn, k.alias, k.created])).toEqual([
        [dataArn, 'alias/partway-data', ['key', 'alias']],
      ]);

      proxy.operations.length = 0;
      const again = await c.online(
        [...prepareArgv('request.json', ['--plan', 'plan.yaml']), '--json'],
        through,
      );
      await proxy.close();
      expect(again.code, again.stderr).toBe(0);
      expect(proxy.operations.filter((o) => o === 'CreateKey')).toHaveLength(1);
      expect(proxy.operations.filter((o) => o === 'ReplicateKey')).toHaveLength(1);
      const prepared = JSON.parse(again.stdout) as Prepared;
      expect(prepared.targets.map((t) => [t.keySpec, t.materialGroup, t.alias])).toEqual([
        ['SYMMETRIC_DEFAULT', 'partway-data', 'alias/partway-data'],
        ['SYMMETRIC_DEFAULT', 'partway-data', undefined],
        ['HMAC_512', 'partway-mac', 'alias/partway-mac'],
      ]);
      expect(prepared.targets[0]!.keyArn).toBe(dataArn);
      expect((await entries(c)).at(-1)!.keys.map((k) => k.created)).toEqual([
        undefined,
        ['replica'],
        ['key', 'alias'],
      ]);
    },
  );

  it(
    'a key created whose alias was not is found on the log by the next run, which creates only its alias',
    { timeout: 0 },
    async () => {
      const c = await Ceremony.start(s);
      await writeFile(
        join(c.onlineDir, 'plan.yaml'),
        planText(`  - alias: alias/unaliased-data
    keySpec: SYMMETRIC_DEFAULT
    tags: {team: payments}
`),
      );
      const proxy = await startCountingProxy(s.sim.url);
      const through = ['--endpoint-url', proxy.url, '--region', 'eu-west-2'];
      proxy.refuse('CreateAlias', 1, 'LimitExceededException');
      const homeBefore = await keyCount(s.kms);
      const failed = await c.online(
        [...prepareArgv('request.json', ['--plan', 'plan.yaml']), '--json'],
        through,
      );
      expect(failed.code).not.toBe(0);
      expect(failed.stderr).toContain('was created, but not its alias');
      expect(failed.stderr).toContain('hint: Run prepare --plan again');
      expect((await aliasTargets()).has('alias/unaliased-data')).toBe(false);
      const failedEntry = (await entries(c)).at(-1)!;
      expect(failedEntry.outcome).toBe('error');
      const created = failedEntry.keys.map((k) => [k.alias, k.created]);
      expect(created).toEqual([['alias/unaliased-data', ['key']]]);
      const arn = failedEntry.keys[0]!.keyArn;

      proxy.operations.length = 0;
      const again = await c.online(
        [...prepareArgv('request.json', ['--plan', 'plan.yaml']), '--json'],
        through,
      );
      await proxy.close();
      expect(again.code, again.stderr).toBe(0);
      expect(proxy.operations.filter((o) => o === 'CreateKey')).toEqual([]);
      expect(proxy.operations.filter((o) => o === 'CreateAlias')).toHaveLength(1);
      expect(await keyCount(s.kms)).toBe(homeBefore + 1);
      expect(
        `arn:aws:kms:eu-west-2:${ACCOUNT}:key/${(await aliasTargets()).get('alias/unaliased-data')!}`,
      ).toBe(arn);
      const prepared = JSON.parse(again.stdout) as Prepared;
      expect(prepared.targets.map((t) => [t.keyArn, t.alias])).toEqual([
        [arn, 'alias/unaliased-data'],
      ]);
      expect((await entries(c)).at(-1)!.keys.map((k) => [k.keyArn, k.created])).toEqual([
        [arn, ['alias']],
      ]);

      await carry(c.onlineDir, c.offlineDir, ['request.json']);
      const wrappedCode = await c.wrap('request.json', prepared.checkCode, 'wrapped.json');
      const imported = await c.import<{ keys: { keyArn: string; keyState: string }[] }>(
        'request.json',
        'wrapped.json',
        wrappedCode,
      );
      expect(imported.keys.map((k) => [k.keyArn, k.keyState])).toEqual([[arn, 'Enabled']]);
      const verified = await c.verifyLogs();
      expect(verified.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(verified.verdict).toBe('VERIFIED');
    },
  );

  it('a key changed in KMS is refused with every difference listed, and nothing is created', async () => {
    const c = await Ceremony.start(s);
    await writeFile(
      join(c.onlineDir, 'drift.yaml'),
      planText(`  - alias: alias/drift-tagged
    keySpec: SYMMETRIC_DEFAULT
    tags: {team: payments}
  - alias: alias/drift-spec
    keySpec: SYMMETRIC_DEFAULT
  - alias: alias/drift-missing
    keySpec: HMAC_384
`),
    );
    const tagged = await s.kms.send(
      new CreateKeyCommand({ Origin: 'EXTERNAL', Tags: [{ TagKey: 'team', TagValue: 'audit' }] }),
    );
    await s.kms.send(
      new CreateAliasCommand({
        AliasName: 'alias/drift-tagged',
        TargetKeyId: tagged.KeyMetadata!.KeyId,
      }),
    );
    const hmac = await s.kms.send(
      new CreateKeyCommand({
        Origin: 'EXTERNAL',
        KeySpec: 'HMAC_256',
        KeyUsage: 'GENERATE_VERIFY_MAC',
      }),
    );
    await s.kms.send(
      new CreateAliasCommand({
        AliasName: 'alias/drift-spec',
        TargetKeyId: hmac.KeyMetadata!.KeyId,
      }),
    );
    const before = await keyCount(s.kms);

    const r = await c.operated(['prepare', '--plan', 'drift.yaml', '--out', 'request.json']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'error: KMS differs from the plan in 3 place(s); nothing was changed',
    );
    expect(r.stderr).toContain(
      'alias/drift-tagged: tags are team=audit in KMS, team=payments in the plan',
    );
    expect(r.stderr).toContain(
      'alias/drift-spec: KeySpec is HMAC_256 in KMS, SYMMETRIC_DEFAULT in the plan',
    );
    expect(r.stderr).toContain(
      'alias/drift-spec: KeyUsage is GENERATE_VERIFY_MAC in KMS, ENCRYPT_DECRYPT in the plan',
    );
    expect(r.stderr).toContain('hint: ');
    expect(await keyCount(s.kms)).toBe(before);
    expect((await aliasTargets()).has('alias/drift-missing')).toBe(false);
    expect(await absent(join(c.onlineDir, 'request.json'))).toBe(true);
    // The refusal is on record, with the plan it refused.
    const entry = (await entries(c)).at(-1)!;
    expect(entry.outcome).toBe('error');
    expect(entry.plan?.name).toBe('plan rehearsal');
  });

  it('a plan for another account is refused before anything is created', async () => {
    const c = await Ceremony.start(s);
    await writeFile(
      join(c.onlineDir, 'other.yaml'),
      planText(
        `  - alias: alias/other-account
    keySpec: SYMMETRIC_DEFAULT
`,
        '444455556666',
      ),
    );
    const before = await keyCount(s.kms);
    const r = await c.operated(['prepare', '--plan', 'other.yaml', '--out', 'request.json']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `the credentials reach account ${ACCOUNT} in KMS, the plan's account is 444455556666`,
    );
    expect(await keyCount(s.kms)).toBe(before);
    expect((await aliasTargets()).has('alias/other-account')).toBe(false);
    expect(await absent(join(c.onlineDir, 'request.json'))).toBe(true);
  });

  it('refuses flags the plan decides, operators other than its own, and another Region', async () => {
    const c = await Ceremony.start(s);
    await writeFile(
      join(c.onlineDir, 'plan.yaml'),
      planText(`  - alias: alias/flags-only
    keySpec: SYMMETRIC_DEFAULT
`),
    );
    const before = await keyCount(s.kms);
    const withKeyId = await c.operated([
      'prepare',
      '--plan',
      'plan.yaml',
      '--key-id',
      'alias/x',
      '--with-replicas',
      '--out',
      'r.json',
    ]);
    expect(withKeyId.code).not.toBe(0);
    expect(withKeyId.stderr).toContain(
      'error: --key-id, --with-replicas cannot be used with --plan',
    );
    const others = await c.online([
      'prepare',
      '--plan',
      'plan.yaml',
      '--out',
      'r.json',
      '--operator',
      'BOB',
      '--operator',
      'ALICE',
    ]);
    expect(others.code).not.toBe(0);
    expect(others.stderr).toContain("is not the plan's operators ALICE, BOB");
    const region = await c.operated(['prepare', '--plan', 'plan.yaml', '--out', 'r.json']);
    expect(region.code, region.stderr).toBe(0);
    const elsewhere = await c.online(
      [
        'prepare',
        '--plan',
        'plan.yaml',
        '--out',
        'r2.json',
        '--operator',
        'ALICE',
        '--operator',
        'BOB',
      ],
      ['--endpoint-url', s.sim.url, '--region', 'us-east-1'],
    );
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toContain("--region us-east-1 is not the plan's Region eu-west-2");
    expect(await keyCount(s.kms)).toBe(before + 1);
  });
});
