import {
  KEY_SPECS,
  KEY_SPEC_RULES,
  KEY_USAGES,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  checkWrappingCombination,
  type KeySpec,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '../kms/rules.js';
import { CEREMONY_NAME, CEREMONY_NAME_RULE } from '../plan/ceremony-name.js';
import {
  FieldChecker,
  HEX_DIGEST,
  KCV,
  KMS_KEY_ARN,
  MATERIAL_GROUP,
  UUID,
  isValidTimestamp,
} from '../validation/field-checker.js';
import {
  OPERATOR_NAME,
  OPERATOR_NAME_RULE,
  operatorNameCollisions,
} from '../validation/operator-name.js';
import {
  IMPORT_REQUEST_FORMAT,
  IMPORT_REQUEST_VERSIONS,
  IMPORT_TYPES,
  type ImportRequestBundle,
} from './types.js';

const BUNDLE_FIELDS = [
  'format',
  'version',
  'ceremonyId',
  'createdAt',
  'operators',
  'auditLogHead',
  'targets',
];
/** Fields version 3 adds to the bundle. */
const BUNDLE_FIELDS_V3 = [...BUNDLE_FIELDS, 'planDigest', 'ceremonyName'];
const TARGET_FIELDS = [
  'keyArn',
  'keySpec',
  'keyUsage',
  'materialGroup',
  'wrappingAlgorithm',
  'wrappingKeySpec',
  'publicKey',
  'importToken',
  'parametersValidTo',
];
/** Fields version 2 adds to each target. */
const TARGET_FIELDS_V2 = [...TARGET_FIELDS, 'importType', 'keyMaterialId', 'expectedKcv'];
/** Version 3: the token's SHA-256 in place of the token, which the online side keeps. */
const TARGET_FIELDS_V3 = [
  ...TARGET_FIELDS_V2.filter((f) => f !== 'importToken'),
  'importTokenSha256',
];

const TARGET_FIELDS_OF: Readonly<Record<number, readonly string[]>> = {
  1: TARGET_FIELDS,
  2: TARGET_FIELDS_V2,
  3: TARGET_FIELDS_V3,
};

/** DER SubjectPublicKeyInfo sizes KMS returns per wrapping key spec. */
const SPKI_BYTES: Readonly<Record<WrappingKeySpec, number>> = {
  RSA_2048: 294,
  RSA_3072: 422,
  RSA_4096: 550,
};

export function checkTimestamp(check: FieldChecker, value: unknown, path: string): void {
  if (check.string(value, path) && !isValidTimestamp(value)) {
    check.fail(path, 'must be an RFC 3339 UTC timestamp such as 2026-01-31T12:00:00Z');
  }
}

export function checkOperators(check: FieldChecker, value: unknown, path: string): void {
  const operators = check.array(value, path, 0);
  if (operators === undefined) return;
  operators.forEach((name, i) => {
    check.string(name, `${path}[${i}]`, OPERATOR_NAME, `a name of ${OPERATOR_NAME_RULE}`);
  });
  const names = operators.filter((n): n is string => typeof n === 'string');
  if (operatorNameCollisions(names).length > 0)
    check.fail(path, 'names one operator twice (up to case and look-alike characters)');
}

export function checkLogHead(check: FieldChecker, value: unknown, path: string): void {
  if (value !== null) check.string(value, path, HEX_DIGEST, 'null or 64 lowercase hex digits');
}

/** Version 2's per-target import type, KeyMaterialId and expected KCV, and their fit per group. */
function checkLifecycle(
  check: FieldChecker,
  t: Record<string, unknown>,
  path: string,
  groups: Map<string, { news: number; kcv: string | undefined }>,
): void {
  const typeOk = check.oneOf(t['importType'], `${path}.importType`, IMPORT_TYPES);
  const isNew = typeOk && t['importType'] === 'NEW_KEY_MATERIAL';
  const id = t['keyMaterialId'];
  if (
    id !== null &&
    check.string(id, `${path}.keyMaterialId`, HEX_DIGEST, 'null or 64 lowercase hex digits') &&
    isNew
  )
    check.fail(`${path}.keyMaterialId`, 'must be null for NEW_KEY_MATERIAL: KMS assigns it');
  const kcv = t['expectedKcv'];
  const kcvOk =
    kcv !== null &&
    check.string(kcv, `${path}.expectedKcv`, KCV, 'null or six uppercase hex digits');
  if (kcvOk && isNew)
    check.fail(`${path}.expectedKcv`, 'must be null for NEW_KEY_MATERIAL: the material is new');
  const group = t['materialGroup'];
  if (typeof group !== 'string') return;
  const seen = groups.get(group) ?? { news: 0, kcv: undefined };
  if (isNew && ++seen.news > 1)
    check.fail(`${path}.importType`, 'a second NEW_KEY_MATERIAL target in its material group');
  if (kcvOk) {
    if (seen.kcv !== undefined && seen.kcv !== kcv)
      check.fail(`${path}.expectedKcv`, `differs from ${seen.kcv} of its material group`);
    seen.kcv = kcv;
  }
  groups.set(group, seen);
}

/** What the targets' checks carry from one target to the next, for the cross-target rules. */
interface TargetsSeen {
  readonly fields: readonly string[];
  readonly arns: Set<string>;
  /** The key spec of each material group's first target: a group shares one material. */
  readonly groupSpecs: Map<string, string>;
  readonly groupLifecycle: Map<string, { news: number; kcv: string | undefined }>;
}

/** A key ARN, in no other target. */
function checkTargetArn(
  check: FieldChecker,
  t: Record<string, unknown>,
  path: string,
  seen: TargetsSeen,
): void {
  if (
    check.string(
      t['keyArn'],
      `${path}.keyArn`,
      KMS_KEY_ARN,
      'a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)',
    )
  ) {
    if (seen.arns.has(t['keyArn'])) check.fail(`${path}.keyArn`, 'appears in another target too');
    seen.arns.add(t['keyArn']);
  }
}

/** A key spec and a usage of that spec; returns whether the spec is one KMS knows. */
function checkTargetSpec(check: FieldChecker, t: Record<string, unknown>, path: string): boolean {
  const specOk = check.oneOf(t['keySpec'], `${path}.keySpec`, KEY_SPECS);
  const usageOk = check.oneOf(t['keyUsage'], `${path}.keyUsage`, KEY_USAGES);
  if (
    specOk &&
    usageOk &&
    !KEY_SPEC_RULES[t['keySpec'] as KeySpec].keyUsages.includes(t['keyUsage'] as never)
  ) {
    check.fail(
      `${path}.keyUsage`,
      `${String(t['keyUsage'])} is not a usage of ${String(t['keySpec'])}`,
    );
  }
  return specOk;
}

/** A material group name, whose keys all have one key spec (they share one material). */
function checkTargetGroup(
  check: FieldChecker,
  t: Record<string, unknown>,
  path: string,
  seen: TargetsSeen,
): void {
  if (
    check.string(
      t['materialGroup'],
      `${path}.materialGroup`,
      MATERIAL_GROUP,
      'a group name of letters, digits, _ . -',
    )
  ) {
    const spec = seen.groupSpecs.get(t['materialGroup']);
    if (spec !== undefined && spec !== t['keySpec']) {
      check.fail(
        `${path}.materialGroup`,
        `shares material with a ${spec} key but is ${String(t['keySpec'])}`,
      );
    }
    seen.groupSpecs.set(t['materialGroup'], String(t['keySpec']));
  }
}

/** A wrapping algorithm and key spec KMS allows for the key spec, and a public key of its size. */
function checkTargetWrapping(
  check: FieldChecker,
  t: Record<string, unknown>,
  path: string,
  specOk: boolean,
): void {
  const algOk = check.oneOf(
    t['wrappingAlgorithm'],
    `${path}.wrappingAlgorithm`,
    WRAPPING_ALGORITHMS,
  );
  const wksOk = check.oneOf(t['wrappingKeySpec'], `${path}.wrappingKeySpec`, WRAPPING_KEY_SPECS);
  if (specOk && algOk && wksOk) {
    const verdict = checkWrappingCombination(
      t['keySpec'] as KeySpec,
      t['wrappingAlgorithm'] as WrappingAlgorithm,
      t['wrappingKeySpec'] as WrappingKeySpec,
    );
    if (!verdict.allowed) check.fail(`${path}.wrappingAlgorithm`, verdict.reason);
  }
  const spki = check.base64(t['publicKey'], `${path}.publicKey`, 1, 8192);
  if (
    spki !== undefined &&
    wksOk &&
    spki.length !== SPKI_BYTES[t['wrappingKeySpec'] as WrappingKeySpec]
  ) {
    check.fail(
      `${path}.publicKey`,
      `is ${spki.length} bytes, but an ${String(t['wrappingKeySpec'])} public key is ${SPKI_BYTES[t['wrappingKeySpec'] as WrappingKeySpec]} bytes of DER`,
    );
  }
}

/** One target, field by field in the order of the format, then the rules across targets. */
function checkTarget(check: FieldChecker, raw: unknown, path: string, seen: TargetsSeen): void {
  const t = check.object(raw, path, seen.fields);
  if (t === undefined) return;
  checkTargetArn(check, t, path, seen);
  const specOk = checkTargetSpec(check, t, path);
  checkTargetGroup(check, t, path, seen);
  checkTargetWrapping(check, t, path, specOk);
  if (seen.fields === TARGET_FIELDS_V3)
    check.string(
      t['importTokenSha256'],
      `${path}.importTokenSha256`,
      HEX_DIGEST,
      '64 lowercase hex digits (the SHA-256 of the import token)',
    );
  else check.base64(t['importToken'], `${path}.importToken`, 1, 6144);
  checkTimestamp(check, t['parametersValidTo'], `${path}.parametersValidTo`);
  if (seen.fields !== TARGET_FIELDS) checkLifecycle(check, t, path, seen.groupLifecycle);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Version 3's plan digest and ceremony name: both null for a flag-driven prepare. */
function checkPlanFields(check: FieldChecker, bundle: Record<string, unknown>): void {
  const digest = bundle['planDigest'];
  if (digest !== null)
    check.string(digest, '$.planDigest', HEX_DIGEST, 'null or 64 lowercase hex digits');
  const name = bundle['ceremonyName'];
  if (name !== null)
    check.string(name, '$.ceremonyName', CEREMONY_NAME, `null or ${CEREMONY_NAME_RULE}`);
}

/** Validates an import-request bundle completely; throws one ByokError listing every bad path. */
export function assertImportRequestBundle(value: unknown): asserts value is ImportRequestBundle {
  const check = new FieldChecker();
  const version = isRecord(value) ? value['version'] : undefined;
  const bundle = check.object(value, '$', version === 3 ? BUNDLE_FIELDS_V3 : BUNDLE_FIELDS);
  if (bundle !== undefined) {
    check.constant(bundle['format'], '$.format', IMPORT_REQUEST_FORMAT);
    if (!(IMPORT_REQUEST_VERSIONS as readonly unknown[]).includes(version))
      check.fail('$.version', `must be one of ${IMPORT_REQUEST_VERSIONS.join(', ')}`);
    const seen: TargetsSeen = {
      fields:
        (typeof version === 'number' ? TARGET_FIELDS_OF[version] : undefined) ?? TARGET_FIELDS,
      arns: new Set(),
      groupSpecs: new Map(),
      groupLifecycle: new Map(),
    };
    check.string(bundle['ceremonyId'], '$.ceremonyId', UUID, 'a lowercase UUID');
    checkTimestamp(check, bundle['createdAt'], '$.createdAt');
    checkOperators(check, bundle['operators'], '$.operators');
    checkLogHead(check, bundle['auditLogHead'], '$.auditLogHead');
    if (version === 3) checkPlanFields(check, bundle);
    const targets = check.array(bundle['targets'], '$.targets', 1);
    targets?.forEach((raw, i) => {
      checkTarget(check, raw, `$.targets[${i}]`, seen);
    });
  }
  check.throwIfAny(
    'The import request',
    'Use the file byok-online prepare wrote, unchanged; if it was edited or damaged, run prepare again.',
  );
}
