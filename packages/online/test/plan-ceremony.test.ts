import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { REHEARSAL_CREDENTIALS } from '@byok-ceremony/kms-sim';
import { afterAll, describe, expect, it } from 'vitest';
import { carry, logsOf, ok } from './helpers/ceremony-driver.js';
import { expectRecordMatchesKms } from './helpers/record-vs-kms.js';
import { simForThisFile } from './helpers/sim-env.js';
import { Ceremony } from './lifecycle/ceremony-steps.js';

// The plan-driven ceremony of docs/ceremony.md: ten keys of mixed types, one multi-Region with a
// replica the tool creates, Shamir 3-of-5 and age backups, pinned operator keys, from one
// reviewed plan, in five commands typed on the two machines, four check-code entries, and a
// witness who copies the plan code and two head codes.

const REPLICA_REGION = 'us-east-1';
const s = simForThisFile({ otherRegions: [REPLICA_REGION] });
const clients = new Map<string, KMSClient>();
const run = promisify(execFile);

function kmsFor(keyArnOrRegion: string): KMSClient {
  const region = keyArnOrRegion.startsWith('arn:') ? keyArnOrRegion.split(':')[3]! : keyArnOrRegion;
  if (region === s.sim.region) return s.kms;
  let client = clients.get(region);
  if (client === undefined) {
    client = new KMSClient({ region, endpoint: s.sim.url, credentials: REHEARSAL_CREDENTIALS });
    clients.set(region, client);
  }
  return client;
}
afterAll(() => {
  for (const client of clients.values()) client.destroy();
});

const KEYS = [
  ['payments/data', 'SYMMETRIC_DEFAULT'],
  ['payments/archive', 'SYMMETRIC_DEFAULT'],
  ['payments/tokens', 'SYMMETRIC_DEFAULT'],
  ['payments/mac', 'HMAC_256'],
  ['payments/mac-512', 'HMAC_512'],
  ['payments/sign', 'ECC_NIST_P256'],
  ['payments/sign-384', 'ECC_NIST_P384'],
  ['payments/chain', 'ECC_SECG_P256K1'],
  ['payments/legacy-rsa', 'RSA_2048'],
  ['payments/rsa-3072', 'RSA_3072'],
] as const;

/** Half a year from now: KMS takes a valid-to at most 365 days ahead of the import. */
const VALID_TO = new Date(Date.now() + 182 * 24 * 3600 * 1000)
  .toISOString()
  .replace(/\.\d+Z$/, 'Z');

const POLICY = (account: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Account administers the key',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
});

/** The plan, as the reviewers wrote it: the replicated key has the policy, tags and an expiry of another. */
function planText(account: string, fingerprints: readonly string[], ageRecipient: string): string {
  const keys = KEYS.map(([name, spec], i) => {
    const lines = [`  - alias: alias/${name}`, `    keySpec: ${spec}`];
    if (i === 0)
      lines.push(
        '    description: payments data key',
        '    tags: { team: payments, cost-centre: "42" }',
        '    policyFile: policies/imported-key.json',
        `    replicaRegions: [${REPLICA_REGION}]`,
      );
    if (i === 3) lines.push(`    validTo: ${VALID_TO}`);
    return lines.join('\n');
  });
  return [
    '# Reviewed by the key custodians; the plan code goes on the sign-off sheet.',
    'format: byok-ceremony/plan',
    'version: 1',
    'name: payments 2026-Q4',
    `account: "${account}"`,
    `region: ${s.sim.region}`,
    'operators:',
    `  - name: ALICE`,
    `    operatorKey: "${fingerprints[0]!}"`,
    `  - name: BOB`,
    `    operatorKey: "${fingerprints[1]!}"`,
    'witness: WENDY',
    'material:',
    '  source: generate',
    'backup:',
    '  - shamir:3-of-5',
    `  - age:${ageRecipient}`,
    'keys:',
    ...keys,
    '',
  ].join('\n');
}

/** Before the day: each operator's key, and the age identity the custodians keep. */
async function preparations(
  c: Ceremony,
): Promise<{ fingerprints: string[]; ageRecipient: string }> {
  const fingerprints: string[] = [];
  for (const name of ['ALICE', 'BOB']) {
    const file = name.toLowerCase();
    await writeFile(join(c.offlineDir, `${file}.pass`), `${name} keeps a long passphrase\n`, {
      mode: 0o600,
    });
    const made = ok(
      await c.offline([
        'operator',
        'keygen',
        '--name',
        name,
        '--passphrase-file',
        `${file}.pass`,
        '--out',
        `${file}.key.json`,
        '--public-out',
        `${file}.pub.json`,
        '--audit-log',
        'keygen-audit.jsonl',
        '--json',
      ]),
    );
    fingerprints.push((JSON.parse(made.stdout) as { fingerprint: string }).fingerprint);
    await carry(c.offlineDir, c.onlineDir, [`${file}.key.json`, `${file}.pass`]);
  }
  await run('age-keygen', ['-o', join(c.offlineDir, 'custodian.age-identity')]);
  const identity = await readFile(join(c.offlineDir, 'custodian.age-identity'), 'utf8');
  return { fingerprints, ageRecipient: /public key: (age1\S+)/.exec(identity)![1]! };
}

const SIGNING = ['--operator-key', 'alice.key.json', '--operator-key', 'bob.key.json'];
const PASSPHRASES = ['--passphrase-file', 'alice.pass', '--passphrase-file', 'bob.pass'];
const headCode = (stderr: string): string => /log head code (\S+)/.exec(stderr)![1]!;

describe('the plan-driven ceremony', () => {
  it(
    'runs ten mixed keys from one plan in five commands, four check-code entries, three codes for the witness',
    { timeout: 0 },
    async () => {
      const c = await Ceremony.start(s);
      const account = '111122223333';
      const { fingerprints, ageRecipient } = await preparations(c);
      await mkdir(join(c.onlineDir, 'policies'));
      await writeFile(
        join(c.onlineDir, 'policies', 'imported-key.json'),
        JSON.stringify(POLICY(account), null, 2),
      );
      await writeFile(
        join(c.onlineDir, 'plan.yaml'),
        planText(account, fingerprints, ageRecipient),
      );
      const typed: string[] = [];
      const online = (argv: string[]) => (typed.push(`byok-online ${argv[0]}`), c.online(argv));
      const offline = (argv: string[]) => (typed.push(`byok-offline ${argv[0]}`), c.offline(argv));

      // 1. The plan code, which the witness compares with the signed sheet.
      const checked = ok(await online(['plan', 'check', 'plan.yaml', '--json']), 'plan check');
      const planCode = (JSON.parse(checked.stdout) as { planCode: string }).planCode;

      // 2. Online: the keys, their aliases, policy, tags and replica are created; the request written.
      const prepared = ok(
        await online(['prepare', '--plan', 'plan.yaml', '--out', 'request.json', '--json']),
        'prepare --plan',
      );
      expect(prepared.stderr).toContain(`Plan code: ${planCode}`);
      const requestCode = (JSON.parse(prepared.stdout) as { checkCode: string }).checkCode;
      await mkdir(join(c.offlineDir, 'policies'));
      await carry(c.onlineDir, c.offlineDir, [
        'plan.yaml',
        'policies/imported-key.json',
        'request.json',
      ]);

      // 3. Offline: two check-code entries; material generated, backed up and wrapped.
      const wrapped = ok(
        await offline([
          'wrap',
          '--plan',
          'plan.yaml',
          '--request',
          'request.json',
          '--out',
          'wrapped.json',
          '--backup-dir',
          'backups',
          ...SIGNING,
          '--check-code',
          requestCode,
          '--check-code',
          requestCode,
          ...PASSPHRASES,
          '--json',
        ]),
        'wrap --plan',
      );
      expect(wrapped.stderr).toContain(`Plan code: ${planCode}`);
      const offlineHead = headCode(wrapped.stderr);
      const wrappedCode = (JSON.parse(wrapped.stdout) as { checkCode: string }).checkCode;
      await carry(c.offlineDir, c.onlineDir, ['wrapped.json', 'byok-offline-audit.jsonl']);

      // 4. Online: two check-code entries; every key imported and proven.
      const imported = ok(
        await online([
          'import',
          '--plan',
          'plan.yaml',
          '--request',
          'request.json',
          '--wrapped',
          'wrapped.json',
          ...SIGNING,
          '--check-code',
          wrappedCode,
          '--check-code',
          wrappedCode,
          ...PASSPHRASES,
          '--json',
        ]),
        'import --plan',
      );
      const onlineHead = headCode(imported.stderr);
      const keys = (JSON.parse(imported.stdout) as { keys: { keyArn: string; keyState: string }[] })
        .keys;
      expect(keys).toHaveLength(KEYS.length + 1);
      expect(keys.map((k) => k.keyState)).toEqual(keys.map(() => 'Enabled'));

      // 5. The record, anchored by the two head codes the witness wrote down, each typed once.
      const record = ok(
        await online([
          'report',
          '--plan',
          'plan.yaml',
          '--log',
          'byok-online-audit.jsonl',
          '--log',
          'byok-offline-audit.jsonl',
          '--expect-head',
          offlineHead,
          '--expect-head',
          onlineHead,
          '--out',
          'ceremony-record.html',
        ]),
        'report --plan',
      );
      expect(record.stdout).toMatch(/^VERIFIED\b/);
      expect(typed).toEqual([
        'byok-online plan',
        'byok-online prepare',
        'byok-offline wrap',
        'byok-online import',
        'byok-online report',
      ]);
      const html = await readFile(join(c.onlineDir, 'ceremony-record.html'), 'utf8');
      expect(html).toContain('payments 2026-Q4');
      expect(html).toContain('WENDY');
      expect(html).toContain(`plan code <span class="check">${planCode}</span>`);

      // What KMS holds is what the plan says.
      await expectKmsAsPlanned(account);
      const logs = {
        online: join(c.onlineDir, 'byok-online-audit.jsonl'),
        offline: join(c.offlineDir, 'byok-offline-audit.jsonl'),
      };
      await expectRecordMatchesKms(logs, kmsFor);
      const verified = ok(
        await c.offline([
          'audit',
          'verify',
          logs.offline,
          logs.online,
          '--expect-head',
          offlineHead,
          '--expect-head',
          onlineHead,
        ]),
      );
      expect(verified.stdout).toMatch(/^VERIFIED\b/m);
      expect(logsOf(c).online).toBe(logs.online);

      // A request edited to add a key the plan does not name is refused offline, before any prompt.
      const request = JSON.parse(await readFile(join(c.offlineDir, 'request.json'), 'utf8')) as {
        targets: Record<string, unknown>[];
      };
      const extra = {
        ...request.targets[1]!,
        keyArn: request.targets[1]!['keyArn']!.toString().replace(
          /key\/.*/,
          'key/0a0b0c0d-0000-4000-8000-000000000000',
        ),
        materialGroup: 'intruder',
      };
      await writeFile(
        join(c.offlineDir, 'edited.json'),
        JSON.stringify({ ...request, targets: [...request.targets, extra] }),
      );
      const refused = await c.offline([
        'wrap',
        '--plan',
        'plan.yaml',
        '--request',
        'edited.json',
        '--out',
        'edited-wrapped.json',
        '--backup-dir',
        'backups-2',
        ...SIGNING,
        ...PASSPHRASES,
      ]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(
        /error: the import request is not the plan's[\s\S]*material group intruder\): not a key of the plan/,
      );
      expect(refused.stderr).not.toMatch(/type the check code/);
    },
  );
});

async function expectKmsAsPlanned(account: string): Promise<void> {
  const aliases = (await s.kms.send(new ListAliasesCommand({}))).Aliases ?? [];
  for (const [name, spec] of KEYS) {
    const alias = aliases.find((a) => a.AliasName === `alias/${name}`);
    expect(alias?.TargetKeyId, `alias/${name} in KMS`).toBeDefined();
    const meta = (await s.kms.send(new DescribeKeyCommand({ KeyId: `alias/${name}` })))
      .KeyMetadata!;
    expect(meta).toMatchObject({
      KeySpec: spec,
      Origin: 'EXTERNAL',
      KeyState: 'Enabled',
      AWSAccountId: account,
    });
  }
  const data = (await s.kms.send(new DescribeKeyCommand({ KeyId: 'alias/payments/data' })))
    .KeyMetadata!;
  expect(data.Description).toBe('payments data key');
  expect(data.MultiRegion).toBe(true);
  const replica = data.MultiRegionConfiguration?.ReplicaKeys?.find(
    (r) => r.Region === REPLICA_REGION,
  );
  expect(replica, 'the replica the tool created').toBeDefined();
  const replicaMeta = (
    await kmsFor(REPLICA_REGION).send(new DescribeKeyCommand({ KeyId: replica!.Arn! }))
  ).KeyMetadata!;
  expect(replicaMeta.KeyState).toBe('Enabled');
  const policy = (
    await s.kms.send(new GetKeyPolicyCommand({ KeyId: data.Arn!, PolicyName: 'default' }))
  ).Policy!;
  expect(JSON.parse(policy)).toEqual(POLICY(account));
  const tags = (await s.kms.send(new ListResourceTagsCommand({ KeyId: data.Arn! }))).Tags ?? [];
  expect(tags).toEqual(
    expect.arrayContaining([
      { TagKey: 'team', TagValue: 'payments' },
      { TagKey: 'cost-centre', TagValue: '42' },
    ]),
  );
  const rotations =
    (
      await s.kms.send(
        new ListKeyRotationsCommand({ KeyId: data.Arn!, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
      )
    ).Rotations ?? [];
  expect(rotations.map((r) => r.KeyMaterialDescription)).toEqual([
    expect.stringMatching(/^payments 2026-Q4 - [0-9a-f-]{36}$/),
  ]);
}
