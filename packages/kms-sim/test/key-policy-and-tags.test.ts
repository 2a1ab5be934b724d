import {
  CreateKeyCommand,
  KMSClient,
  GetKeyPolicyCommand,
  ListResourceTagsCommand,
  ReplicateKeyCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REHEARSAL_CREDENTIALS, startKmsSim } from '../src/index.js';
import type { KmsSim } from '../src/index.js';
import { FIXTURE_WRAPPING_KEY_POOL, bash, kmsClient, tempDir } from './helpers.js';

const POLICY = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Import only',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:role/ceremony' },
        Action: ['kms:ImportKeyMaterial', 'kms:GetParametersForImport'],
        Resource: '*',
      },
    ],
  },
  null,
  2,
);

describe('key policies and tags: CreateKey and ReplicateKey keep them, GetKeyPolicy and ListResourceTags answer them', () => {
  let sim: KmsSim;
  const temp = tempDir();

  beforeAll(async () => {
    sim = await startKmsSim({
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
      otherRegions: ['us-west-2'],
    });
  });
  afterAll(async () => {
    await sim.close();
    temp.cleanup();
  });

  it('answers the policy CreateKey was given, byte for byte, and the default policy otherwise', async () => {
    const kms = kmsClient(sim);
    const withPolicy = await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', Policy: POLICY }));
    const plain = await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }));
    const given = await kms.send(new GetKeyPolicyCommand({ KeyId: withPolicy.KeyMetadata!.Arn }));
    expect(given.Policy).toBe(POLICY);
    expect(given.PolicyName).toBe('default');
    const fallback = await kms.send(new GetKeyPolicyCommand({ KeyId: plain.KeyMetadata!.KeyId }));
    expect(JSON.parse(fallback.Policy!)).toMatchObject({
      Statement: [{ Principal: { AWS: `arn:aws:iam::${sim.account}:root` }, Action: 'kms:*' }],
    });
    kms.destroy();
  });

  it('refuses a policy that is not a JSON document with a Statement, and an unknown policy name', async () => {
    const kms = kmsClient(sim);
    await expect(
      kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', Policy: '{"Version":' })),
    ).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
    await expect(
      kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', Policy: '{"Version":"2012-10-17"}' })),
    ).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
    const key = await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }));
    await expect(
      kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyMetadata!.KeyId, PolicyName: 'other' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    kms.destroy();
  });

  it('lists the tags in pages of at most Limit, and refuses a Limit over 50', async () => {
    const kms = kmsClient(sim);
    const tags = Array.from({ length: 5 }, (_, i) => ({ TagKey: `k${i}`, TagValue: `v${i}` }));
    const key = await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', Tags: tags }));
    const first = await kms.send(
      new ListResourceTagsCommand({ KeyId: key.KeyMetadata!.KeyId, Limit: 3 }),
    );
    expect(first.Tags).toEqual(tags.slice(0, 3));
    expect(first.Truncated).toBe(true);
    const rest = await kms.send(
      new ListResourceTagsCommand({
        KeyId: key.KeyMetadata!.KeyId,
        Limit: 3,
        Marker: first.NextMarker,
      }),
    );
    expect(rest.Tags).toEqual(tags.slice(3));
    expect(rest.Truncated).toBe(false);
    await expect(
      kms.send(new ListResourceTagsCommand({ KeyId: key.KeyMetadata!.KeyId, Limit: 51 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    kms.destroy();
  });

  it('gives a replica the policy and tags ReplicateKey names, in its own Region', async () => {
    const kms = kmsClient(sim);
    const primary = await kms.send(
      new CreateKeyCommand({
        Origin: 'EXTERNAL',
        MultiRegion: true,
        Tags: [{ TagKey: 'a', TagValue: '1' }],
      }),
    );
    const replicated = await kms.send(
      new ReplicateKeyCommand({
        KeyId: primary.KeyMetadata!.Arn,
        ReplicaRegion: 'us-west-2',
        Policy: POLICY,
        Tags: [{ TagKey: 'a', TagValue: '1' }],
      }),
    );
    expect(replicated.ReplicaPolicy).toBe(POLICY);
    const west = new KMSClient({
      endpoint: sim.url,
      region: 'us-west-2',
      credentials: REHEARSAL_CREDENTIALS,
      maxAttempts: 1,
    });
    const arn = replicated.ReplicaKeyMetadata!.Arn!;
    expect((await west.send(new GetKeyPolicyCommand({ KeyId: arn }))).Policy).toBe(POLICY);
    expect((await west.send(new ListResourceTagsCommand({ KeyId: arn }))).Tags).toEqual([
      { TagKey: 'a', TagValue: '1' },
    ]);
    west.destroy();
    kms.destroy();
  });

  it('answers aws kms get-key-policy and list-resource-tags (AWS CLI v1)', async () => {
    const result = await bash(
      sim,
      temp.dir,
      `set -euo pipefail
cat > policy.json <<'JSON'
${POLICY}
JSON
KEY_ID=$(aws kms create-key --origin EXTERNAL --policy file://policy.json --tags TagKey=team,TagValue=payments --query KeyMetadata.KeyId --output text)
aws kms get-key-policy --key-id "$KEY_ID" --policy-name default --query Policy --output text > answered.json
cmp <(tr -d '\\n' < policy.json) <(tr -d '\\n' < answered.json) && echo POLICY-MATCHES
aws kms list-resource-tags --key-id "$KEY_ID" --query 'Tags[0].[TagKey,TagValue]' --output text`,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('POLICY-MATCHES');
    expect(result.stdout).toMatch(/team\s+payments/);
  });
});
