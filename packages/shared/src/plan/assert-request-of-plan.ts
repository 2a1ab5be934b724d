import type { ImportRequestBundle, ImportTarget } from '../bundle/types.js';
import { ByokError } from '../errors.js';
import { listedProblems } from '../validation/field-checker.js';
import { planMaterialGroup } from './plan-material-group.js';
import type { DigestedPlan, PlanKey } from './plan-types.js';

/** Region and account of a KMS key ARN (arn:PARTITION:kms:REGION:ACCOUNT:key/ID). */
function arnParts(keyArn: string): { readonly region: string; readonly account: string } {
  const [, , , region = '', account = ''] = keyArn.split(':');
  return { region, account };
}

/** One plan key's place in the request: its material group, primary first, then the replicas. */
function groupProblems(
  plan: DigestedPlan['plan'],
  key: PlanKey,
  targets: readonly ImportTarget[],
): string[] {
  const problems: string[] = [];
  const wanted = [plan.region, ...key.replicaRegions].sort();
  const regions = targets.map((t) => arnParts(t.keyArn).region).sort();
  if (wanted.join() !== regions.join())
    problems.push(
      `${key.alias}: targets in ${regions.join(', ')}, the plan has ${wanted.join(', ')}`,
    );
  for (const t of targets) {
    if (t.keySpec !== key.keySpec)
      problems.push(`${t.keyArn}: ${t.keySpec}, the plan's ${key.alias} is ${key.keySpec}`);
    if (t.keyUsage !== key.keyUsage)
      problems.push(`${t.keyArn}: ${t.keyUsage}, the plan's ${key.alias} is ${key.keyUsage}`);
    if (arnParts(t.keyArn).account !== plan.account)
      problems.push(
        `${t.keyArn}: account ${arnParts(t.keyArn).account}, the plan's is ${plan.account}`,
      );
  }
  return problems;
}

/**
 * Refuses a request that is not the plan's: another plan digest, or targets that are not the
 * plan's keys. Each plan key is one material group (its primary and its replicas), named
 * after the key's alias (planMaterialGroup). Checked before any code is asked: a request of another plan
 * costs no one a retype.
 */
export function assertRequestOfPlan(
  request: ImportRequestBundle,
  loaded: DigestedPlan,
  what: string,
): void {
  const { plan } = loaded;
  if ((request.planDigest ?? null) !== loaded.digest)
    throw new ByokError(
      'ERR_BUNDLE_MISMATCH',
      request.planDigest === undefined || request.planDigest === null
        ? `the ${what} was not prepared from a plan (byok-online prepare without --plan)`
        : `the ${what} was prepared from another plan (digest ${request.planDigest.slice(0, 16)}…, this plan's is ${loaded.digest.slice(0, 16)}…)`,
      {
        hint: `Prepare the request with byok-online prepare --plan and this plan (plan code ${loaded.code}), and bring that request.`,
      },
    );
  const groups = new Map<string, ImportTarget[]>();
  for (const t of request.targets)
    groups.set(t.materialGroup, [...(groups.get(t.materialGroup) ?? []), t]);
  const problems: string[] = [];
  const planGroups = new Set<string>();
  for (const key of plan.keys) {
    const group = planMaterialGroup(key.alias);
    planGroups.add(group);
    const targets = groups.get(group);
    if (targets === undefined) problems.push(`${key.alias}: not in the ${what}`);
    else problems.push(...groupProblems(plan, key, targets));
  }
  for (const [group, targets] of groups)
    if (!planGroups.has(group))
      problems.push(
        `${targets.map((t) => t.keyArn).join(', ')} (material group ${group}): not a key of the plan`,
      );
  if (problems.length > 0)
    throw new ByokError(
      'ERR_BUNDLE_MISMATCH',
      `the ${what} is not the plan's (${problems.length} difference(s)):\n${listedProblems(problems)
        .map((p) => `  ${p}`)
        .join('\n')}`,
      {
        hint: `Nothing was asked or made. Prepare again with byok-online prepare --plan (plan code ${loaded.code}) and bring that request; a change of keys needs a plan reviewed again.`,
        details: listedProblems(problems),
      },
    );
}
