import { ByokError, type PlanKey } from '@byok-ceremony/shared';
import type { KeyDescription, KmsPort, KmsTag } from '../kms/kms-port.js';
import { accountOfArn, type PlanKeyInKms } from './plan-keys-in-kms.js';
import { pollKey } from './poll-key.js';
import type { KmsForRegion } from './prepare-import.js';
import type { WaitOptions } from './wait-for-imported.js';

/** What this run made in KMS, one piece at a time, so a failure part-way still logs it. */
export type CreatedInKms =
  | { readonly kind: 'key'; readonly key: PlanKey; readonly arn: string }
  | { readonly kind: 'alias'; readonly key: PlanKey; readonly arn: string }
  | { readonly kind: 'replica'; readonly key: PlanKey; readonly arn: string };

/** A plan key as KMS has it once everything the plan names exists. */
export interface PlanKeyReady {
  readonly key: PlanKey;
  /** Its replica list includes the replicas made by this run. */
  readonly primary: KeyDescription;
  /** In the plan's Region order. */
  readonly replicas: readonly KeyDescription[];
  /** Key ARNs this run created (the primary, replicas): no material to look for in them. */
  readonly createdArns: readonly string[];
}

export interface CreatePlanKeysInput {
  /** Policy file → its text, sent as the plan's policy for the key and its replicas. */
  readonly policies: ReadonlyMap<string, string>;
  readonly wait: WaitOptions;
  /** The plan's account: a key created elsewhere stops the run before its alias. */
  readonly account: string;
  /** Told of each key, alias and replica as soon as KMS made it. */
  readonly created: (piece: CreatedInKms) => void;
}

function tagsOf(key: PlanKey): KmsTag[] {
  return Object.entries(key.tags).map(([k, value]) => ({ key: k, value }));
}

function policyOf(key: PlanKey, policies: ReadonlyMap<string, string>): string | undefined {
  return key.policyFile === null ? undefined : policies.get(key.policyFile);
}

/** CreateKey (origin EXTERNAL, as the plan says) and CreateAlias. */
async function createPrimary(
  kms: KmsPort,
  key: PlanKey,
  input: CreatePlanKeysInput,
): Promise<KeyDescription> {
  const created = await kms.createKey({
    keySpec: key.keySpec,
    keyUsage: key.keyUsage,
    description: key.description === '' ? undefined : key.description,
    multiRegion: key.replicaRegions.length > 0,
    tags: tagsOf(key),
    policy: policyOf(key, input.policies),
  });
  input.created({ kind: 'key', key, arn: created.arn });
  // Only where KMS listed no ARN beforehand can the account show this late.
  const account = accountOfArn(created.arn);
  if (account !== input.account)
    throw new ByokError(
      'ERR_PLAN_MISMATCH',
      `${key.alias}: KMS created ${created.arn} in account ${account ?? 'unknown'}, the plan's account is ${input.account}`,
      {
        hint: `Schedule that key's deletion (aws kms schedule-key-deletion --key-id ${created.arn}), then run prepare --plan with credentials of account ${input.account}.`,
      },
    );
  await createPlanAlias(kms, key, created, input);
  return created;
}

/** CreateAlias for a plan key made by this run or, without its alias, by an earlier one. */
async function createPlanAlias(
  kms: KmsPort,
  key: PlanKey,
  created: KeyDescription,
  input: CreatePlanKeysInput,
): Promise<void> {
  try {
    await kms.createAlias(key.alias, created.keyId);
  } catch (error) {
    throw new ByokError(
      'ERR_KMS',
      `${key.alias}: key ${created.arn} was created, but not its alias: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: `Run prepare --plan again: it finds the key on this machine's audit log (while its chain holds), compares it with the plan and creates only its alias. Or add the alias (aws kms create-alias --alias-name ${key.alias} --target-key-id ${created.keyId}) and run it again.`,
        cause: error,
      },
    );
  }
  input.created({ kind: 'alias', key, arn: created.arn });
}

/** Waits while KMS is still creating a replica: it takes import parameters only afterwards. */
async function settledReplica(
  regionKms: KmsPort,
  replica: KeyDescription,
  wait: WaitOptions,
): Promise<KeyDescription> {
  if (replica.keyState !== 'Creating') return replica;
  return pollKey(
    regionKms,
    replica.arn,
    wait,
    (d) => d.keyState !== 'Creating',
    (d, seconds) =>
      new ByokError('ERR_TIMEOUT', `${replica.arn} is still ${d.keyState} after ${seconds} s`, {
        hint: 'KMS is still creating the replica: run prepare --plan again in a few minutes; what exists is kept.',
      }),
  );
}

/** ReplicateKey into each plan Region that has no replica, with the primary's policy, description and tags. */
async function readyReplicas(
  kms: KmsPort,
  kmsFor: KmsForRegion,
  found: PlanKeyInKms,
  primary: KeyDescription,
  input: CreatePlanKeysInput,
): Promise<{ readonly replicas: KeyDescription[]; readonly created: string[] }> {
  const { key } = found;
  const replicas: KeyDescription[] = [];
  const created: string[] = [];
  for (const region of key.replicaRegions) {
    const regionKms = await kmsFor(region);
    let replica = found.replicas.get(region);
    if (replica === undefined) {
      replica = await kms.replicateKey(primary.arn, region, {
        description: key.description === '' ? undefined : key.description,
        tags: tagsOf(key),
        policy: policyOf(key, input.policies),
      });
      input.created({ kind: 'replica', key, arn: replica.arn });
      created.push(replica.arn);
    }
    replicas.push(await settledReplica(regionKms, replica, input.wait));
  }
  return { replicas, created };
}

/**
 * Creates, key by key in plan order, what the plan names and KMS lacks: the key and its alias,
 * then each missing replica. Keys found are taken as they are (the comparison passed them).
 */
export async function createPlanKeys(
  kms: KmsPort,
  kmsFor: KmsForRegion,
  found: readonly PlanKeyInKms[],
  input: CreatePlanKeysInput,
): Promise<PlanKeyReady[]> {
  const ready: PlanKeyReady[] = [];
  for (const f of found) {
    const primary = f.primary ?? (await createPrimary(kms, f.key, input));
    if (f.aliasMissing === true) await createPlanAlias(kms, f.key, primary, input);
    const { replicas, created } = await readyReplicas(kms, kmsFor, f, primary, input);
    ready.push({
      key: f.key,
      // CreateKey's answer predates the replicas; prepare checks the list against them.
      primary: { ...primary, replicaKeyArns: replicas.map((r) => r.arn) },
      replicas,
      createdArns: [...(f.primary === undefined ? [primary.arn] : []), ...created],
    });
  }
  return ready;
}
