import {
  KEY_SPEC_RULES,
  KEY_SPECS,
  isImportableKeySpec,
  type KeySpec,
  type KeyUsage,
} from '../kms/rules.js';
import { FieldChecker, RFC3339_UTC, isValidTimestamp } from '../validation/field-checker.js';
import { AWS_REGION } from './plan-regions.js';
import { PLAN_MAX_KEYS, type PlanKey } from './plan-types.js';

/**
 * KMS's AliasName characters without `:`, `alias/` and a name of at most 64 (so that it names
 * the key's material group, planMaterialGroup); `alias/aws/` is AWS's own.
 */
const ALIAS = /^alias\/(?!aws\/)[A-Za-z0-9][A-Za-z0-9/_-]{0,63}$/;
/** A policy file beside the plan or below its folder: plain names, no `..`, not absolute. */
const POLICY_FILE = /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+){0,7}$/;
/** KMS's limits on tags (TagKey 1–128, TagValue 0–256, 50 per key; `aws:` is reserved). */
const MAX_TAGS = 50;
const MAX_DESCRIPTION = 8192;

/** The keys of a plan, each checked; problems go to the checker with their paths. */
export function checkPlanKeys(
  c: FieldChecker,
  value: unknown,
  region: string,
  checkWrapping: (at: string, keySpec: KeySpec) => void,
): PlanKey[] {
  const items = c.array(value, '$.keys', 1);
  if (items === undefined) return [];
  if (items.length > PLAN_MAX_KEYS) {
    c.fail('$.keys', `at most ${PLAN_MAX_KEYS} keys in one ceremony, got ${items.length}`);
    return [];
  }
  const keys: PlanKey[] = [];
  const aliases = new Map<string, number>();
  for (const [i, item] of items.entries()) {
    const key = checkPlanKey(c, item, `$.keys[${i}]`, region);
    if (key === undefined) continue;
    checkWrapping(`$.keys[${i}]`, key.keySpec);
    const first = aliases.get(key.alias.toLowerCase());
    if (first !== undefined)
      c.fail(`$.keys[${i}].alias`, `${key.alias} is also $.keys[${first}]: one key per alias`);
    aliases.set(key.alias.toLowerCase(), i);
    keys.push(key);
  }
  return keys;
}

function checkPlanKey(
  c: FieldChecker,
  value: unknown,
  at: string,
  region: string,
): PlanKey | undefined {
  const k = c.objectWith(
    value,
    at,
    ['alias', 'keySpec'],
    ['keyUsage', 'description', 'tags', 'policyFile', 'replicaRegions', 'validTo'],
  );
  if (k === undefined) return undefined;
  const before = c.count;
  c.string(
    k.alias,
    `${at}.alias`,
    ALIAS,
    'alias/ and a name of at most 64 letters, digits, /, _ and -, starting with a letter or digit (not alias/aws/…)',
  );
  const keySpec = checkKeySpec(c, k.keySpec, `${at}.keySpec`);
  const keyUsage = checkKeyUsage(c, k.keyUsage, `${at}.keyUsage`, keySpec);
  if (
    k.description !== undefined &&
    c.string(k.description, `${at}.description`) &&
    k.description.length > MAX_DESCRIPTION
  )
    c.fail(`${at}.description`, `at most ${MAX_DESCRIPTION} characters`);
  const tags = checkTags(c, k.tags, `${at}.tags`);
  if (k.policyFile !== undefined)
    c.string(
      k.policyFile,
      `${at}.policyFile`,
      POLICY_FILE,
      "a path relative to the plan's folder, without .. (policies/payments.json)",
    );
  const replicaRegions = checkReplicaRegions(c, k.replicaRegions, `${at}.replicaRegions`, region);
  if (
    k.validTo !== undefined &&
    c.string(
      k.validTo,
      `${at}.validTo`,
      RFC3339_UTC,
      'an RFC 3339 UTC time (2027-06-30T00:00:00Z)',
    ) &&
    !isValidTimestamp(k.validTo)
  )
    c.fail(`${at}.validTo`, 'is not a real date and time');
  if (c.count !== before || keySpec === undefined) return undefined;
  return {
    alias: k.alias as string,
    keySpec,
    keyUsage,
    description: (k.description as string | undefined) ?? '',
    tags,
    policyFile: (k.policyFile as string | undefined) ?? null,
    replicaRegions,
    validTo: (k.validTo as string | undefined) ?? null,
  };
}

function checkKeySpec(c: FieldChecker, value: unknown, at: string): KeySpec | undefined {
  if (!c.oneOf(value, at, KEY_SPECS)) return undefined;
  if (!isImportableKeySpec(value)) {
    c.fail(at, `KMS does not accept imported material for ${value}`);
    return undefined;
  }
  return value;
}

function checkKeyUsage(
  c: FieldChecker,
  value: unknown,
  at: string,
  keySpec: KeySpec | undefined,
): KeyUsage {
  const usages = keySpec === undefined ? [] : KEY_SPEC_RULES[keySpec].keyUsages;
  if (value === undefined) return usages[0] ?? 'ENCRYPT_DECRYPT';
  if (keySpec !== undefined && c.oneOf(value, at, usages)) return value;
  return usages[0] ?? 'ENCRYPT_DECRYPT';
}

function checkTags(c: FieldChecker, value: unknown, at: string): Record<string, string> {
  if (value === undefined) return {};
  const tags = c.objectWith(value, at, [], Object.keys(value as object));
  if (tags === undefined) return {};
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) c.fail(at, `at most ${MAX_TAGS} tags per key`);
  const result: Record<string, string> = {};
  for (const [name, tagValue] of entries) {
    const path = `${at}[${JSON.stringify(name)}]`;
    if (name.length < 1 || name.length > 128 || name.toLowerCase().startsWith('aws:'))
      c.fail(path, 'a tag key is 1–128 characters and does not start with aws:');
    if (typeof tagValue !== 'string' || tagValue.length > 256)
      c.fail(
        path,
        'a tag value is a string of at most 256 characters (quote numbers and true/false)',
      );
    else result[name] = tagValue;
  }
  return result;
}

function checkReplicaRegions(
  c: FieldChecker,
  value: unknown,
  at: string,
  region: string,
): string[] {
  const items = c.array(value, at, 1);
  if (items === undefined) return [];
  const regions: string[] = [];
  for (const [i, item] of items.entries()) {
    if (!c.string(item, `${at}[${i}]`, AWS_REGION, 'an AWS Region name such as eu-west-1'))
      continue;
    if (item === region)
      c.fail(`${at}[${i}]`, `${item} is the plan's own Region, where the primary key is`);
    else if (regions.includes(item)) c.fail(`${at}[${i}]`, `${item} is named twice`);
    else regions.push(item);
  }
  return regions;
}
