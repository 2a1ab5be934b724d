import {
  canonicalJson,
  parseStrictJson,
  type CeremonyPlan,
  type PlanKey,
} from '@byok-ceremony/shared';
import type { KeyDescription, KmsAlias, KmsPort, KmsTag } from '../kms/kms-port.js';
import type { KmsForRegion } from './prepare-import.js';
import { regionOfArn } from './key-region.js';
import { replicaDescriptionProblem, replicaListProblem } from './replica-trust.js';
import { runBounded } from './run-bounded.js';

/** What KMS already holds of one plan key: its key under the alias and the replicas it has. */
export interface PlanKeyInKms {
  readonly key: PlanKey;
  /** The key the alias names, or undefined: neither key nor alias exists yet. */
  readonly primary: KeyDescription | undefined;
  /** The primary was found on this machine's log, created without its alias: create the alias. */
  readonly aliasMissing?: boolean;
  /** Replica Region → the replica there, for the plan's Regions that have one. */
  readonly replicas: ReadonlyMap<string, KeyDescription>;
}

export interface PlanKeysInKms {
  readonly found: readonly PlanKeyInKms[];
  /** Every way KMS departs from the plan, `alias/x: …`; any one refuses the whole command. */
  readonly differences: readonly string[];
}

/** What the comparison reads besides KMS: the plan, its policy texts and this machine's log. */
export interface PlanComparison {
  readonly plan: CeremonyPlan;
  /** Policy file → its text (LoadedPlan.policies). */
  readonly policies: ReadonlyMap<string, string>;
  /** Key ARNs this machine's log shows holding imported material. */
  readonly importedOnRecord: ReadonlySet<string>;
  /** Alias → key ARN this machine's log shows created by this plan without its alias. */
  readonly createdWithoutAlias: ReadonlyMap<string, string>;
  readonly concurrency: number;
}

/** A key whose material is in KMS (or was): the plan's first import cannot go into it. */
function importedAlready(d: KeyDescription, importedOnRecord: ReadonlySet<string>): boolean {
  return (
    d.keyState === 'Enabled' ||
    d.keyState === 'Disabled' ||
    d.currentKeyMaterialId !== undefined ||
    importedOnRecord.has(d.arn)
  );
}

/** The account of a KMS key or alias ARN (arn:PARTITION:kms:REGION:ACCOUNT:…). */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:kms:[a-z0-9-]+:(\d{12}):/.exec(arn)?.[1];
}

/** How one key (the primary, or a replica in `region`) differs from the plan's key, if at all. */
function describedDifferences(
  key: PlanKey,
  d: KeyDescription,
  plan: CeremonyPlan,
  region: string,
  importedOnRecord: ReadonlySet<string>,
): string[] {
  const is = (what: string, inKms: string, inPlan: string): string =>
    `${what} is ${inKms} in KMS, ${inPlan} in the plan`;
  const found: string[] = [];
  const account = accountOfArn(d.arn);
  if (account !== plan.account) found.push(is('account', account ?? d.arn, plan.account));
  if (regionOfArn(d.arn) !== region) found.push(is('Region', regionOfArn(d.arn) ?? d.arn, region));
  if (d.origin !== 'EXTERNAL') found.push(is('Origin', d.origin, 'EXTERNAL'));
  if (d.keySpec !== key.keySpec) found.push(is('KeySpec', d.keySpec, key.keySpec));
  if (d.keyUsage !== key.keyUsage) found.push(is('KeyUsage', d.keyUsage, key.keyUsage));
  if ((d.description ?? '') !== key.description)
    found.push(
      is('Description', JSON.stringify(d.description ?? ''), JSON.stringify(key.description)),
    );
  if (d.keyState === 'PendingDeletion' || d.keyState === 'PendingReplicaDeletion')
    found.push(`is ${d.keyState} in KMS: a key scheduled for deletion takes no material`);
  else if (importedAlready(d, importedOnRecord))
    found.push(
      `this plan's material was imported already (${d.arn} is ${d.keyState}${d.currentKeyMaterialId === undefined ? '' : `, material ${d.currentKeyMaterialId}`})`,
    );
  return found;
}

/** The multi-Region shape: a primary exactly when the plan lists replicas, and no replica the plan does not name. */
function multiRegionDifferences(key: PlanKey, d: KeyDescription): string[] {
  const wantsReplicas = key.replicaRegions.length > 0;
  if (d.multiRegionKeyType === 'REPLICA')
    return [
      `names a multi-Region replica in KMS (primary ${d.primaryKeyArn ?? 'unknown'}), a primary key in the plan`,
    ];
  if (wantsReplicas && d.multiRegionKeyType !== 'PRIMARY')
    return ['is a single-Region key in KMS, a multi-Region key in the plan'];
  if (!wantsReplicas && d.multiRegion)
    return ['is a multi-Region key in KMS, a single-Region key in the plan'];
  const problem = wantsReplicas ? replicaListProblem(d) : undefined;
  if (problem !== undefined) return [problem];
  const extra = d.replicaKeyArns
    .map((arn) => regionOfArn(arn) ?? arn)
    .filter((region) => !key.replicaRegions.includes(region));
  return extra.length === 0
    ? []
    : [`has replicas in ${extra.join(', ')} in KMS, which the plan does not list`];
}

function tagsText(tags: ReadonlyMap<string, string>): string {
  return tags.size === 0
    ? 'none'
    : [...tags]
        .map(([k, v]) => `${k}=${v}`)
        .sort()
        .join(', ');
}

/** Tags compared whole: the plan lists every tag the key carries. */
function tagDifferences(key: PlanKey, tags: readonly KmsTag[]): string[] {
  const inKms = new Map(tags.map((t) => [t.key, t.value]));
  const inPlan = new Map(Object.entries(key.tags));
  const same = inKms.size === inPlan.size && [...inPlan].every(([k, v]) => inKms.get(k) === v);
  return same ? [] : [`tags are ${tagsText(inKms)} in KMS, ${tagsText(inPlan)} in the plan`];
}

/** JSON-equal: KMS may answer the document with other spacing or member order. A document
 * with a key given twice is no match (two readers could see two policies). */
function samePolicy(inKms: string, inPlan: string): boolean {
  try {
    return canonicalJson(parseStrictJson(inKms)) === canonicalJson(parseStrictJson(inPlan));
  } catch {
    return false;
  }
}

/** Tags, and the policy where the plan names a policy file. */
async function settingsDifferences(
  key: PlanKey,
  d: KeyDescription,
  kms: KmsPort,
  policies: ReadonlyMap<string, string>,
): Promise<string[]> {
  const found: string[] = [];
  // Always read: a plan without tags means a key without them (a tag could grant access by ABAC).
  found.push(...tagDifferences(key, await kms.listResourceTags(d.arn)));
  if (key.policyFile !== null) {
    const planned = policies.get(key.policyFile);
    if (planned === undefined || !samePolicy(await kms.getKeyPolicy(d.arn), planned))
      found.push(`key policy in KMS is not the plan's ${key.policyFile}`);
  }
  return found;
}

/** The key an earlier run logged creating, or undefined where KMS no longer has it. */
async function keyOnLog(kms: KmsPort, arn: string): Promise<KeyDescription | undefined> {
  try {
    return await kms.describeKey(arn);
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    if (cause instanceof Error && cause.name === 'NotFoundException') return undefined;
    throw error;
  }
}

/** One plan key as KMS has it, and every difference from the plan. */
async function comparePlanKey(
  key: PlanKey,
  aliasExists: boolean,
  kms: KmsPort,
  kmsFor: KmsForRegion,
  input: PlanComparison,
): Promise<{ readonly found: PlanKeyInKms; readonly differences: string[] }> {
  const none = { found: { key, primary: undefined, replicas: new Map() }, differences: [] };
  const createdArn = aliasExists ? undefined : input.createdWithoutAlias.get(key.alias);
  if (!aliasExists && createdArn === undefined) return none;
  const { plan } = input;
  const primary =
    createdArn === undefined ? await kms.describeKey(key.alias) : await keyOnLog(kms, createdArn);
  // A key made by an earlier run of this plan that KMS has since let go of counts as none.
  if (primary === undefined || (createdArn !== undefined && primary.keyState === 'PendingDeletion'))
    return none;
  const differences = [
    ...(createdArn !== undefined && primary.arn !== createdArn
      ? [`the key logged as created, ${createdArn}, is ${primary.arn} in KMS`]
      : []),
    ...describedDifferences(key, primary, plan, plan.region, input.importedOnRecord),
    ...multiRegionDifferences(key, primary),
  ];
  if (differences.length === 0)
    differences.push(...(await settingsDifferences(key, primary, kms, input.policies)));
  const replicas = new Map<string, KeyDescription>();
  if (differences.length > 0) return { found: { key, primary, replicas }, differences };
  for (const arn of primary.replicaKeyArns) {
    const region = regionOfArn(arn)!;
    const regionKms = await kmsFor(region);
    const replica = await regionKms.describeKey(arn);
    const found = [
      ...[replicaDescriptionProblem(primary, arn, replica)].filter((p) => p !== undefined),
      ...describedDifferences(key, replica, plan, region, input.importedOnRecord),
    ];
    if (found.length === 0)
      found.push(...(await settingsDifferences(key, replica, regionKms, input.policies)));
    differences.push(...found.map((f) => `replica in ${region}: ${f}`));
    replicas.set(region, replica);
  }
  return {
    found: { key, primary, replicas, ...(createdArn === undefined ? {} : { aliasMissing: true }) },
    differences,
  };
}

/**
 * The account and Region KMS answers for, against the plan's, before any key is compared or
 * made. The account shows in alias ARNs (KMS lists its AWS managed aliases in every Region), else
 * in key ARNs; a Region with neither is checked by the ARN of the first key created.
 */
async function whereKmsAnswers(
  kms: KmsPort,
  aliases: readonly KmsAlias[],
  plan: CeremonyPlan,
): Promise<string[]> {
  if (kms.region !== plan.region)
    return [`KMS is reached in Region ${kms.region}, the plan's Region is ${plan.region}`];
  const arn =
    aliases.find((a) => a.aliasArn !== undefined)?.aliasArn ?? (await kms.listKeys())[0]?.arn;
  const account = arn === undefined ? undefined : accountOfArn(arn);
  if (arn !== undefined && account !== plan.account)
    return [
      `the credentials reach account ${account ?? arn} in KMS, the plan's account is ${plan.account}`,
    ];
  return [];
}

/**
 * Reads, without changing anything, what KMS holds of each plan key (ListAliases, then for each
 * alias that exists DescribeKey and, when the plan sets them, ListResourceTags and GetKeyPolicy,
 * for the key and its replicas) and lists every way it departs from the plan.
 */
export async function planKeysInKms(
  kms: KmsPort,
  kmsFor: KmsForRegion,
  input: PlanComparison,
): Promise<PlanKeysInKms> {
  const listed = await kms.listAliases();
  const where = await whereKmsAnswers(kms, listed, input.plan);
  if (where.length > 0) return { found: [], differences: where };
  const aliases = new Set(listed.map((a) => a.aliasName));
  const compared = await runBounded(input.plan.keys, input.concurrency, (key) =>
    comparePlanKey(key, aliases.has(key.alias), kms, kmsFor, input),
  );
  const done = compared.flatMap((o) => (o.started ? [o.value] : []));
  return {
    found: done.map((c) => c.found),
    differences: done.flatMap((c) => c.differences.map((d) => `${c.found.key.alias}: ${d}`)),
  };
}
