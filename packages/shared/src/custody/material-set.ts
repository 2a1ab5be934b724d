import { base64Length, decodeBase64, encodeBase64, encodeBase64Into } from '../encoding/base64.js';
import { encodeUtf8 } from '../encoding/utf8.js';
import { StrictJsonError, parseStrictJson } from '../encoding/strict-json.js';
import { ByokError } from '../errors.js';
import { KEY_SPECS, KEY_SPEC_RULES, type KeySpec } from '../kms/rules.js';
import {
  FieldChecker,
  KCV,
  KMS_KEY_ARN,
  MATERIAL_GROUP,
  UUID,
  isValidTimestamp,
} from '../validation/field-checker.js';

export const MATERIAL_SET_FORMAT = 'byok-ceremony/material-set';
export const MATERIAL_SET_VERSION = 1;
/** Far above 100 RSA_4096 keys (about 3.3 KB each as base64): a larger text is not ours. */
export const MATERIAL_SET_MAX_CHARS = 512 * 1024;
export const MATERIAL_SET_MAX_GROUPS = 100;
export const MATERIAL_SET_MAX_ARNS_PER_GROUP = 20;
/** PKCS#8 of an RSA_4096 key is about 2.4 KB; nothing KMS imports is larger than this. */
const MAX_MATERIAL_BYTES = 4096;

/** One material group of a ceremony: the keys (and replicas) that share it, and the material. */
export interface MaterialSetGroup {
  readonly materialGroup: string;
  readonly keySpec: KeySpec;
  readonly keyArns: readonly string[];
  readonly kcv: string;
  /** The material in the form KMS imports: raw bytes, or PKCS#8 DER for private keys. */
  readonly material: Uint8Array;
}

/** Every material of one ceremony, as the backups keep it. */
export interface MaterialSet {
  readonly ceremonyId: string;
  readonly createdAt: string;
  readonly groups: readonly MaterialSetGroup[];
}

const TOP_FIELDS = ['format', 'version', 'ceremonyId', 'createdAt', 'groups'] as const;
const GROUP_FIELDS = ['materialGroup', 'keySpec', 'keyArns', 'kcv', 'material'] as const;

function invalid(message: string, details: readonly string[] = []): ByokError {
  return new ByokError('ERR_MATERIAL_SET_INVALID', message, {
    hint: 'Give the material set exactly as a backup holds it (age -d of material-set.age, or recover from the shares).',
    details,
  });
}

/** The set's JSON with fixed field order, two-space indented, each material as `material(g)`. */
function materialSetJson(set: MaterialSet, material: (g: MaterialSetGroup) => string): string {
  const doc = {
    format: MATERIAL_SET_FORMAT,
    version: MATERIAL_SET_VERSION,
    ceremonyId: set.ceremonyId,
    createdAt: set.createdAt,
    groups: set.groups.map((g) => ({
      materialGroup: g.materialGroup,
      keySpec: g.keySpec,
      keyArns: g.keyArns,
      kcv: g.kcv,
      material: material(g),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * The material set as UTF-8 JSON text with a fixed field order, two-space indented. Its bytes
 * (serializeMaterialSetBytes) are what the Shamir shares split and the age file encrypts.
 */
export function serializeMaterialSet(set: MaterialSet): string {
  return materialSetJson(set, (g) => encodeBase64(g.material));
}

/** Where each material goes: the one `"material": ""` of each group (no other field can hold quotes unescaped). */
const EMPTY_MATERIAL = '"material": ""';

/**
 * The same bytes as the UTF-8 of serializeMaterialSet, made without a string that holds the
 * material: the JSON is built with empty materials, and each material's base64 is written
 * straight into the byte array. The caller zeroes it.
 */
export function serializeMaterialSetBytes(set: MaterialSet): Uint8Array {
  const parts = materialSetJson(set, () => '').split(EMPTY_MATERIAL);
  if (parts.length !== set.groups.length + 1)
    throw new TypeError('the material set JSON has an unexpected shape');
  const encoded = parts.map((p) => encodeUtf8(p));
  const materialText = (g: MaterialSetGroup): number =>
    EMPTY_MATERIAL.length + base64Length(g.material.length);
  const total =
    encoded.reduce((n, p) => n + p.length, 0) + set.groups.reduce((n, g) => n + materialText(g), 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const [i, part] of encoded.entries()) {
    out.set(part, at);
    at += part.length;
    const group = set.groups[i];
    if (group === undefined) break;
    out.set(encodeUtf8(EMPTY_MATERIAL.slice(0, -1)), at);
    at += EMPTY_MATERIAL.length - 1;
    at = encodeBase64Into(group.material, out, at);
    out[at++] = 0x22;
  }
  return out;
}

function materialProblem(keySpec: KeySpec, material: Uint8Array): string | undefined {
  const rule = KEY_SPEC_RULES[keySpec].material;
  switch (rule?.kind) {
    case 'symmetric':
      return material.length === rule.bytes
        ? undefined
        : `must be ${rule.bytes} bytes for ${keySpec}, got ${material.length}`;
    case 'hmac':
      return material.length >= rule.minBytes && material.length <= rule.maxBytes
        ? undefined
        : `must be ${rule.minBytes}–${rule.maxBytes} bytes for ${keySpec}, got ${material.length}`;
    case 'rsa-private':
    case 'ec-private': {
      const max = rule.kind === 'ec-private' ? rule.maxPkcs8Bytes : MAX_MATERIAL_BYTES;
      if (material[0] !== 0x30) return `must be a PKCS#8 DER private key for ${keySpec}`;
      return material.length <= max
        ? undefined
        : `must be at most ${max} bytes of PKCS#8 for ${keySpec}, got ${material.length}`;
    }
    case undefined:
      return `${keySpec} takes no imported material`;
  }
}

/** The set's JSON read strictly; a refusal names a position and a problem, never the text. */
function materialSetDocument(text: string): unknown {
  if (text.length > MATERIAL_SET_MAX_CHARS)
    throw invalid(
      `the material set has ${text.length} characters, more than the ${MATERIAL_SET_MAX_CHARS} a set can have`,
    );
  try {
    return parseStrictJson(text);
  } catch (error) {
    // The strict parser names a position and a problem, never the text around it.
    const why = error instanceof StrictJsonError ? error.problem : 'syntax';
    throw invalid(
      `the material set is not valid JSON (${why}${error instanceof StrictJsonError ? ` at offset ${error.position}` : ''})`,
    );
  }
}

/** What the groups' checks carry across groups: a group name and a key ARN appear once. */
interface GroupsSeen {
  readonly names: Set<string>;
  readonly arns: Set<string>;
}

/** A group's key ARNs, each a KMS key ARN named by no other entry; only the valid ones return. */
function groupKeyArns(
  check: FieldChecker,
  value: unknown,
  path: string,
  seen: GroupsSeen,
): { keyArns: string[]; all: boolean } {
  const arnItems = check.array(value, `${path}.keyArns`, 1) ?? [];
  if (arnItems.length > MATERIAL_SET_MAX_ARNS_PER_GROUP)
    check.fail(`${path}.keyArns`, `must have at most ${MATERIAL_SET_MAX_ARNS_PER_GROUP} keys`);
  const keyArns: string[] = [];
  for (const [j, arn] of arnItems.slice(0, MATERIAL_SET_MAX_ARNS_PER_GROUP).entries()) {
    if (!check.string(arn, `${path}.keyArns[${j}]`, KMS_KEY_ARN, 'a KMS key ARN')) continue;
    if (seen.arns.has(arn))
      check.fail(`${path}.keyArns[${j}]`, 'names a key that another entry names');
    seen.arns.add(arn);
    keyArns.push(arn);
  }
  return { keyArns, all: keyArns.length === arnItems.length };
}

/** A group's material: base64 of the size and form its key spec takes; zeroed if refused. */
function groupMaterial(
  check: FieldChecker,
  g: Record<string, unknown>,
  path: string,
  specOk: boolean,
): Uint8Array | undefined {
  let material: Uint8Array | undefined;
  if (check.string(g['material'], `${path}.material`)) {
    material = decodeBase64(g['material']);
    if (material === undefined)
      check.fail(`${path}.material`, 'is not valid base64 (RFC 4648, padded, no whitespace)');
  }
  if (specOk && material !== undefined) {
    const problem = materialProblem(g['keySpec'] as KeySpec, material);
    if (problem !== undefined) {
      check.fail(`${path}.material`, problem);
      material.fill(0);
      material = undefined;
    }
  }
  return material;
}

/** One group, or undefined with its problems recorded (and its material zeroed). */
function materialSetGroup(
  check: FieldChecker,
  item: unknown,
  path: string,
  seen: GroupsSeen,
): MaterialSetGroup | undefined {
  const g = check.object(item, path, GROUP_FIELDS);
  if (g === undefined) return undefined;
  const nameOk = check.string(
    g['materialGroup'],
    `${path}.materialGroup`,
    MATERIAL_GROUP,
    'a material group name',
  );
  if (nameOk) {
    if (seen.names.has(g['materialGroup'] as string))
      check.fail(`${path}.materialGroup`, 'is named twice');
    seen.names.add(g['materialGroup'] as string);
  }
  const specOk = check.oneOf(g['keySpec'], `${path}.keySpec`, KEY_SPECS);
  const { keyArns, all } = groupKeyArns(check, g['keyArns'], path, seen);
  const kcvOk = check.string(g['kcv'], `${path}.kcv`, KCV, 'six uppercase hex digits');
  const material = groupMaterial(check, g, path, specOk);
  if (nameOk && specOk && kcvOk && material !== undefined && all)
    return {
      materialGroup: g['materialGroup'] as string,
      keySpec: g['keySpec'] as KeySpec,
      keyArns,
      kcv: g['kcv'] as string,
      material,
    };
  material?.fill(0);
  return undefined;
}

/**
 * Parses a material set strictly: the strict JSON reader (no duplicate keys), known fields
 * only, every problem by path. Checks shapes and sizes; the KCVs are checked against the
 * material by the caller, which has the crypto. Errors never quote material.
 */
export function parseMaterialSet(text: string): MaterialSet {
  const doc = materialSetDocument(text);
  const check = new FieldChecker();
  const top = check.object(doc, '$', TOP_FIELDS);
  if (top === undefined) throw invalid('the material set is not a JSON object');
  check.constant(top['format'], '$.format', MATERIAL_SET_FORMAT);
  if (top['version'] !== undefined && top['version'] !== MATERIAL_SET_VERSION)
    check.fail('$.version', `is not a version this tool reads (it reads ${MATERIAL_SET_VERSION})`);
  check.string(top['ceremonyId'], '$.ceremonyId', UUID, 'a lowercase UUID');
  if (check.string(top['createdAt'], '$.createdAt') && !isValidTimestamp(top['createdAt']))
    check.fail('$.createdAt', 'must be an RFC 3339 UTC time');
  const items = check.array(top['groups'], '$.groups', 1) ?? [];
  if (items.length > MATERIAL_SET_MAX_GROUPS)
    check.fail('$.groups', `must have at most ${MATERIAL_SET_MAX_GROUPS} groups`);
  const seen: GroupsSeen = { names: new Set(), arns: new Set() };
  const groups: MaterialSetGroup[] = [];
  for (const [i, item] of items.slice(0, MATERIAL_SET_MAX_GROUPS).entries()) {
    const group = materialSetGroup(check, item, `$.groups[${i}]`, seen);
    if (group !== undefined) groups.push(group);
  }
  if (check.problems.length > 0) {
    for (const g of groups) g.material.fill(0);
    throw invalid(
      `the material set is invalid (${check.problems.length} problem(s)):\n${check.problems.map((p) => `  ${p}`).join('\n')}`,
      check.problems,
    );
  }
  return { ceremonyId: top['ceremonyId'] as string, createdAt: top['createdAt'] as string, groups };
}

/** Zeroes every material of a set (the base64 text it came from cannot be zeroed). */
export function zeroMaterialSet(set: MaterialSet): void {
  for (const g of set.groups) g.material.fill(0);
}
