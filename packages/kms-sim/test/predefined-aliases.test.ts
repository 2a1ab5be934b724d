import { CreateKeyCommand, ListAliasesCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKmsSim } from '../src/index.js';
import type { KmsSim } from '../src/index.js';
import { FIXTURE_WRAPPING_KEY_POOL, kmsClient } from './helpers.js';

describe('ListAliases lists the aliases AWS predefines, as KMS does in every Region', () => {
  let sim: KmsSim;

  beforeAll(async () => {
    sim = await startKmsSim({
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('names alias/aws/… with its ARN and no target key in a fresh Region, and not when a key is named', async () => {
    const kms = kmsClient(sim);
    const fresh = await kms.send(new ListAliasesCommand({}));
    expect(fresh.Aliases?.length).toBeGreaterThan(0);
    for (const alias of fresh.Aliases ?? []) {
      expect(alias.AliasName).toMatch(/^alias\/aws\//);
      expect(alias.AliasArn).toBe(`arn:aws:kms:${sim.region}:${sim.account}:${alias.AliasName!}`);
      expect(alias.TargetKeyId).toBeUndefined();
    }
    const key = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
    expect((await kms.send(new ListAliasesCommand({ KeyId: key.KeyId }))).Aliases).toEqual([]);
    const firstPage = await kms.send(new ListAliasesCommand({ Limit: 1 }));
    expect(firstPage.Truncated).toBe(true);
    kms.destroy();
  });
});
