import {
  assertBackupSpecsCombine,
  parseBackupSpec,
  type BackupSpec,
} from '../custody/backup-spec.js';
import { ByokError } from '../errors.js';
import {
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  DEFAULT_WRAPPING_KEY_SPEC,
  checkWrappingCombination,
  defaultWrappingAlgorithm,
  isImportableKeySpec,
  type KeySpec,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '../kms/rules.js';
import { FieldChecker, HEX_DIGEST } from '../validation/field-checker.js';
import {
  OPERATOR_NAME,
  OPERATOR_NAME_RULE,
  normalizeOperatorName,
  operatorNameCollisions,
} from '../validation/operator-name.js';
import { CEREMONY_NAME, CEREMONY_NAME_RULE } from './ceremony-name.js';
import { checkPlanKeys } from './check-plan-keys.js';
import { AWS_ACCOUNT, AWS_REGION } from './plan-regions.js';
import {
  PLAN_FORMAT,
  PLAN_VERSION,
  type CeremonyPlan,
  type PlanMaterial,
  type PlanOperator,
} from './plan-types.js';

/**
 * A plan document (parsed YAML or JSON) as a CeremonyPlan, or one error that lists every problem
 * with its path (`$.keys[2].keySpec: …`): a plan is reviewed whole, so it is refused whole.
 */
export function checkPlan(value: unknown, path: string): CeremonyPlan {
  const c = new FieldChecker();
  const top = c.objectWith(
    value,
    '$',
    [
      'format',
      'version',
      'name',
      'account',
      'region',
      'operators',
      'witness',
      'material',
      'backup',
      'keys',
    ],
    ['wrapping'],
  );
  if (top === undefined) c.throwIfAny(`the plan ${path}`, PLAN_HINT);
  const t = top!;
  c.constant(t.format, '$.format', PLAN_FORMAT);
  c.constant(t.version, '$.version', PLAN_VERSION);
  c.string(t.name, '$.name', CEREMONY_NAME, CEREMONY_NAME_RULE);
  quotedString(
    c,
    t.account,
    '$.account',
    AWS_ACCOUNT,
    'a 12-digit AWS account id, quoted ("111122223333")',
  );
  c.string(t.region, '$.region', AWS_REGION, 'an AWS Region name such as eu-west-1');
  const operators = checkOperators(c, t.operators);
  const witness = checkWitness(c, t.witness, operators);
  const material = checkMaterial(c, t.material);
  const backup = checkBackup(c, t.backup, material);
  const wrapping = checkWrapping(c, t.wrapping);
  const region = typeof t.region === 'string' ? t.region : '';
  const keys = checkPlanKeys(c, t.keys, region, (at, keySpec) => {
    checkKeyWrapping(c, at, keySpec, wrapping);
  });
  c.throwIfAny(`the plan ${path}`, PLAN_HINT);
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    name: t.name as string,
    account: t.account as string,
    region: t.region as string,
    operators,
    witness,
    material,
    backup,
    wrappingAlgorithm: wrapping.algorithm,
    wrappingKeySpec: wrapping.keySpec,
    keys,
  };
}

const PLAN_HINT =
  'Fix each field named; docs/plan-format.md describes every field, with an example plan.';

function checkOperators(c: FieldChecker, value: unknown): PlanOperator[] {
  const items = c.array(value, '$.operators', 2) ?? [];
  const operators: PlanOperator[] = [];
  const names: string[] = [];
  for (const [i, item] of items.entries()) {
    const at = `$.operators[${i}]`;
    const o = c.object(item, at, ['name', 'operatorKey']);
    if (o === undefined) continue;
    const name = typeof o.name === 'string' ? normalizeOperatorName(o.name) : o.name;
    const named = c.string(name, `${at}.name`, OPERATOR_NAME, OPERATOR_NAME_RULE);
    if (named) names.push(name);
    // As operator keygen prints it (SHA256:abcd 1234 …) or as 64 hex digits.
    const operatorKey =
      typeof o.operatorKey === 'string'
        ? o.operatorKey
            .replace(/^SHA256:/iu, '')
            .replace(/\s+/gu, '')
            .toLowerCase()
        : o.operatorKey;
    const keyed = quotedString(
      c,
      operatorKey,
      `${at}.operatorKey`,
      HEX_DIGEST,
      "the operator key's fingerprint: the 64 lowercase hex digits operator keygen printed",
    );
    if (named && keyed) operators.push({ name, operatorKey: operatorKey as string });
  }
  for (const [a, b] of operatorNameCollisions(names))
    c.fail(
      '$.operators',
      `${JSON.stringify(a)} and ${JSON.stringify(b)} name one person: two operators are two different people`,
    );
  const keys = operators.map((o) => o.operatorKey);
  if (new Set(keys).size !== keys.length)
    c.fail('$.operators', 'two operators have the same operator key');
  return operators;
}

/**
 * A string field that YAML may have read as a number or a boolean (an account id, a fingerprint
 * of digits only): the problem says to quote it, since the digits as written are lost.
 */
export function quotedString(
  c: FieldChecker,
  value: unknown,
  path: string,
  pattern: RegExp,
  describe: string,
): boolean {
  if (typeof value === 'number' || typeof value === 'boolean') {
    c.fail(path, `must be a quoted string ("…"): YAML read it as a ${typeof value}`);
    return false;
  }
  return c.string(value, path, pattern, describe);
}

function checkWitness(c: FieldChecker, value: unknown, operators: readonly PlanOperator[]): string {
  // Compared with the operators whose entries are whole; a broken one is reported already.
  const name = typeof value === 'string' ? normalizeOperatorName(value) : value;
  if (!c.string(name, '$.witness', OPERATOR_NAME, OPERATOR_NAME_RULE)) return '';
  if (operatorNameCollisions([...operators.map((o) => o.name), name]).some(([, b]) => b === name))
    c.fail('$.witness', 'the witness must be a person other than the operators');
  return name;
}

/** A PKCS#11 token label (CK_TOKEN_INFO.label: 32 bytes, space-padded) as the plan names it. */
const TOKEN_LABEL = /^[\x21-\x7e](?:[\x20-\x7e]{0,30}[\x21-\x7e])?$/;
/** A token serial number (CK_TOKEN_INFO.serialNumber: 16 bytes). */
const TOKEN_SERIAL = /^[\x21-\x7e]{1,16}$/;

/** The fields each material source takes besides `source`. */
const MATERIAL_FIELDS = {
  generate: [],
  components: ['custodians'],
  'material-set': [],
  hsm: ['token', 'serial'],
} as const;

function checkMaterial(c: FieldChecker, value: unknown): PlanMaterial {
  const m = c.objectWith(value, '$.material', ['source'], ['custodians', 'token', 'serial']);
  const sources = Object.keys(MATERIAL_FIELDS) as (keyof typeof MATERIAL_FIELDS)[];
  if (m === undefined || !c.oneOf(m.source, '$.material.source', sources))
    return { source: 'generate' };
  const source = m.source;
  const takes: readonly string[] = MATERIAL_FIELDS[source];
  for (const field of ['custodians', 'token', 'serial'])
    if (m[field] !== undefined && !takes.includes(field))
      c.fail(`$.material.${field}`, `not for source ${source}`);
  if (source === 'components') return { source, custodians: checkCustodians(c, m.custodians) };
  if (source !== 'hsm') return { source };
  // Label and serial both: a label is whatever the token was initialised with, and two tokens
  // can carry one; the serial is the maker's and tells them apart.
  for (const [field, pattern, rule] of [
    [
      'token',
      TOKEN_LABEL,
      "the token's label: 1–32 printable ASCII characters, no space at either end",
    ],
    [
      'serial',
      TOKEN_SERIAL,
      "the token's serial number: 1–16 printable ASCII characters, no spaces",
    ],
  ] as const)
    if (m[field] === undefined) c.fail(`$.material.${field}`, `missing: ${rule}`);
    else quotedString(c, m[field], `$.material.${field}`, pattern, rule);
  return {
    source,
    token: typeof m.token === 'string' ? m.token : '',
    serial: typeof m.serial === 'string' ? m.serial : '',
  };
}

function checkCustodians(c: FieldChecker, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 2 || n > 9) {
    c.fail('$.material.custodians', 'split knowledge needs 2 to 9 custodians (an integer)');
    return 2;
  }
  return n;
}

function checkBackup(
  c: FieldChecker,
  value: unknown,
  material: PlanMaterial,
): readonly BackupSpec[] | 'none' {
  if (value === 'none') return 'none';
  const items = c.array(value, '$.backup', 1);
  if (items === undefined) return 'none'; // reported: missing, or not a list
  const specs: BackupSpec[] = [];
  for (const [i, item] of items.entries()) {
    if (!c.string(item, `$.backup[${i}]`)) continue;
    try {
      specs.push(parseBackupSpec(item));
    } catch (error) {
      c.fail(`$.backup[${i}]`, backupProblem(error, item));
    }
  }
  try {
    assertBackupSpecsCombine(specs);
  } catch (error) {
    c.fail('$.backup', backupProblem(error, ''));
  }
  if (material.source !== 'generate' && specs.length > 0)
    c.fail(
      '$.backup',
      material.source === 'hsm'
        ? "backs up plaintext, which never leaves the token: the token's own backup or cloning is the backup; write backup: none"
        : `backs up generated material; with source ${material.source} the custodians already keep it: write backup: none`,
    );
  return specs;
}

function backupProblem(error: unknown, item: string): string {
  const text =
    error instanceof ByokError
      ? error.message.replace(/^--backup /u, '').replace(/--backup /gu, '')
      : String(error);
  return item === ''
    ? text
    : `${text} (shamir:M-of-N with 2 ≤ M ≤ N ≤ 255, age:age1…, or age:passphrase)`;
}

interface PlanWrapping {
  readonly algorithm: WrappingAlgorithm | null;
  readonly keySpec: WrappingKeySpec;
}

function checkWrapping(c: FieldChecker, value: unknown): PlanWrapping {
  if (value === undefined) return { algorithm: null, keySpec: DEFAULT_WRAPPING_KEY_SPEC };
  const w = c.objectWith(value, '$.wrapping', [], ['algorithm', 'keySpec']);
  if (w === undefined) return { algorithm: null, keySpec: DEFAULT_WRAPPING_KEY_SPEC };
  const algorithm = c.oneOf(w.algorithm, '$.wrapping.algorithm', WRAPPING_ALGORITHMS)
    ? w.algorithm
    : null;
  const keySpec = c.oneOf(w.keySpec, '$.wrapping.keySpec', WRAPPING_KEY_SPECS)
    ? w.keySpec
    : DEFAULT_WRAPPING_KEY_SPEC;
  return { algorithm, keySpec };
}

function checkKeyWrapping(
  c: FieldChecker,
  at: string,
  keySpec: KeySpec,
  wrapping: PlanWrapping,
): void {
  if (!isImportableKeySpec(keySpec)) return; // reported by checkPlanKeys
  if (wrapping.algorithm === null) {
    if (defaultWrappingAlgorithm(keySpec, wrapping.keySpec) === undefined)
      c.fail(at, `no wrapping algorithm carries ${keySpec} material with ${wrapping.keySpec}`);
    return;
  }
  const verdict = checkWrappingCombination(keySpec, wrapping.algorithm, wrapping.keySpec);
  if (!verdict.allowed) c.fail(`${at}.keySpec`, verdict.reason);
}
