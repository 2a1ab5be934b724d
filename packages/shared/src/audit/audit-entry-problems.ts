import {
  FieldChecker,
  HEX_DIGEST,
  isValidTimestamp,
  KCV,
  KMS_KEY_ARN,
  MATERIAL_GROUP,
} from '../validation/field-checker.js';
import { isAuditLabel } from './audit-label.js';
import type { AuditEntry } from './record.js';

const ENTRY_FIELDS = [
  'command',
  'operators',
  'exceptions',
  'inputs',
  'outputs',
  'checkCodes',
  'keys',
  'kmsRequestIds',
  'peerLogHead',
  'outcome',
  'error',
  'seq',
  'prev',
  'time',
  'tool',
  'toolVersion',
] as const;
const KEY_FIELDS = [
  'keyArn',
  'alias',
  'keySpec',
  'materialGroup',
  'wrappingKeyFingerprint',
  'parametersValidTo',
  'kcv',
  'keyMaterialId',
  'currentKeyMaterialId',
  'keyState',
  'proof',
  'created',
] as const;
const CREATED = ['key', 'alias', 'replica'] as const;
/** KMS's KeyState values (service model `KeyState`). */
export const KMS_KEY_STATES = [
  'Creating',
  'Enabled',
  'Disabled',
  'PendingDeletion',
  'PendingImport',
  'PendingReplicaDeletion',
  'Unavailable',
  'Updating',
] as const;
/** KMS's AliasName: `alias/` and 1–250 of letters, digits, `/ _ -`. */
const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
const KEY_SPEC = /^[A-Z][A-Z0-9_]{0,31}$/;
const CHECK_CODE = /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function stringList(c: FieldChecker, value: unknown, path: string): void {
  const items = c.array(value, path, 0);
  items?.forEach((item, i) => c.string(item, `${path}[${i}]`, /^.{1,256}$/su, '1–256 characters'));
}

function digestMap(c: FieldChecker, value: unknown, path: string, values: RegExp): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    c.fail(path, 'must be an object');
    return;
  }
  for (const [label, v] of Object.entries(value as Record<string, unknown>)) {
    if (!isAuditLabel(label)) c.fail(`${path}.${label}`, 'is not a valid label');
    c.string(v, `${path}.${label}`, values);
  }
}

function optionalFields(
  c: FieldChecker,
  value: unknown,
  path: string,
  allowed: readonly string[],
): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    c.fail(path, 'must be an object');
    return undefined;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!allowed.includes(key)) c.fail(`${path}.${key}`, 'unknown field');
  return record;
}

const KMS_ENDPOINT = /^https?:\/\/[\x21-\x7e]{1,2040}$/;
const REGION = /^[a-z]{2,}(-[a-z0-9]+){1,4}$/;
const ACCOUNT = /^\d{12}$/;

/** `kms`: only byok-online talks to KMS; endpoint null (the SDK default) or an http(s) URL. */
function kmsProblems(c: FieldChecker, value: unknown, tool: unknown): void {
  if (tool !== 'byok-online') c.fail('entry.kms', 'only byok-online entries record a KMS');
  const kms = c.object(value, 'entry.kms', ['endpoint', 'region', 'accounts']);
  if (kms === undefined) return;
  if (kms['endpoint'] !== null)
    c.string(kms['endpoint'], 'entry.kms.endpoint', KMS_ENDPOINT, 'null or an http(s) URL');
  c.string(kms['region'], 'entry.kms.region', REGION, 'an AWS Region name');
  const accounts = c.array(kms['accounts'], 'entry.kms.accounts', 0);
  accounts?.forEach((a, i) =>
    c.string(a, `entry.kms.accounts[${i}]`, ACCOUNT, 'a 12-digit AWS account id'),
  );
  if (accounts !== undefined && new Set(accounts).size !== accounts.length)
    c.fail('entry.kms.accounts', 'names an account twice');
}

const BACKUP_SCHEME =
  /^(shamir:[0-9]{1,3}-of-[0-9]{1,3}|age:age1[02-9ac-hj-np-z]{58}|age:passphrase|recover:shamir|recover:age|material-set|components:[0-9])$/;
const SHARE_COUNT = (n: unknown): boolean =>
  typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 255;

function backupProblems(c: FieldChecker, value: unknown): void {
  const b = c.object(value, 'entry.backup', [
    'schemes',
    'setDigest',
    'splitId',
    'shares',
    'files',
    'covers',
  ]);
  if (b === undefined) return;
  c.array(b['schemes'], 'entry.backup.schemes', 1)?.forEach((s, i) =>
    c.string(s, `entry.backup.schemes[${i}]`, BACKUP_SCHEME, 'a backup scheme'),
  );
  if (b['setDigest'] !== null) c.string(b['setDigest'], 'entry.backup.setDigest', HEX_DIGEST);
  if (b['splitId'] !== null)
    c.string(b['splitId'], 'entry.backup.splitId', /^[0-9a-f]{32}$/, '32 lowercase hex digits');
  c.array(b['shares'], 'entry.backup.shares', 0)?.forEach((share, i) => {
    const hasDigest = typeof share === 'object' && share !== null && Object.hasOwn(share, 'sha256');
    const s = c.object(share, `entry.backup.shares[${i}]`, [
      'index',
      'count',
      'threshold',
      ...(hasDigest ? ['sha256'] : []),
    ]);
    if (s === undefined) return;
    if (hasDigest) c.string(s['sha256'], `entry.backup.shares[${i}].sha256`, HEX_DIGEST);
    for (const f of ['index', 'count', 'threshold'])
      if (!SHARE_COUNT(s[f]))
        c.fail(`entry.backup.shares[${i}].${f}`, 'must be an integer from 1 to 255');
  });
  c.array(b['files'], 'entry.backup.files', 0)?.forEach((file, i) => {
    const f = c.object(file, `entry.backup.files[${i}]`, ['name', 'sha256']);
    if (f === undefined) return;
    c.string(
      f['name'],
      `entry.backup.files[${i}].name`,
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
      'a file name',
    );
    c.string(f['sha256'], `entry.backup.files[${i}].sha256`, HEX_DIGEST);
  });
  c.array(b['covers'], 'entry.backup.covers', 0)?.forEach((cover, i) => {
    const k = c.object(cover, `entry.backup.covers[${i}]`, ['materialGroup', 'keySpec', 'kcv']);
    if (k === undefined) return;
    c.string(
      k['materialGroup'],
      `entry.backup.covers[${i}].materialGroup`,
      MATERIAL_GROUP,
      'a group name',
    );
    c.string(k['keySpec'], `entry.backup.covers[${i}].keySpec`, KEY_SPEC, 'a KMS key spec');
    c.string(k['kcv'], `entry.backup.covers[${i}].kcv`, KCV, 'six uppercase hex digits');
  });
}

/** One key record: each optional field checked on its own when present. */
function keyRecordProblems(c: FieldChecker, key: unknown, path: string): void {
  const k = optionalFields(c, key, path, KEY_FIELDS);
  if (k === undefined) return;
  if (k['keyArn'] !== null) c.string(k['keyArn'], `${path}.keyArn`, KMS_KEY_ARN, 'a KMS key ARN');
  // Each field checked on its own, so no field escapes validation (keyState once did).
  if (k['alias'] !== undefined)
    c.string(k['alias'], `${path}.alias`, ALIAS_NAME, 'a KMS alias name (alias/NAME)');
  if (k['keySpec'] !== undefined)
    c.string(k['keySpec'], `${path}.keySpec`, KEY_SPEC, 'a KMS key spec');
  if (k['materialGroup'] !== undefined)
    c.string(k['materialGroup'], `${path}.materialGroup`, MATERIAL_GROUP, 'a group name');
  if (k['wrappingKeyFingerprint'] !== undefined)
    c.string(
      k['wrappingKeyFingerprint'],
      `${path}.wrappingKeyFingerprint`,
      HEX_DIGEST,
      '64 lowercase hex digits',
    );
  if (
    k['parametersValidTo'] !== undefined &&
    c.string(k['parametersValidTo'], `${path}.parametersValidTo`) &&
    !isValidTimestamp(k['parametersValidTo'])
  )
    c.fail(`${path}.parametersValidTo`, 'must be an RFC 3339 UTC timestamp');
  if (k['kcv'] !== undefined) c.string(k['kcv'], `${path}.kcv`, KCV, 'six uppercase hex digits');
  if (k['keyMaterialId'] !== undefined)
    c.string(k['keyMaterialId'], `${path}.keyMaterialId`, HEX_DIGEST, '64 lowercase hex digits');
  if (k['currentKeyMaterialId'] !== undefined)
    c.string(
      k['currentKeyMaterialId'],
      `${path}.currentKeyMaterialId`,
      HEX_DIGEST,
      '64 lowercase hex digits',
    );
  if (k['keyState'] !== undefined) c.oneOf(k['keyState'], `${path}.keyState`, KMS_KEY_STATES);
  if (k['proof'] !== undefined)
    c.oneOf(k['proof'], `${path}.proof`, ['hmac', 'public-key', 'kcv-only']);
  if (k['created'] !== undefined)
    c.array(k['created'], `${path}.created`, 1)?.forEach((what, i) =>
      c.oneOf(what, `${path}.created[${i}]`, CREATED),
    );
}

/** `plan`: the ceremony plan's name and digest. */
function planProblems(c: FieldChecker, value: unknown): void {
  const p = c.object(value, 'entry.plan', ['name', 'digest']);
  if (p === undefined) return;
  c.string(p['name'], 'entry.plan.name', /^.{1,256}$/su, '1–256 characters');
  c.string(p['digest'], 'entry.plan.digest', HEX_DIGEST, '64 lowercase hex digits');
}

/** The outcome and its error: an error entry describes it, an ok entry has none. */
function outcomeProblems(c: FieldChecker, e: Record<string, unknown>): void {
  c.oneOf(e['outcome'], 'entry.outcome', ['ok', 'error']);
  if (e['error'] !== null) {
    const err = c.object(e['error'], 'entry.error', ['code', 'message']);
    if (err !== undefined) {
      c.string(err['code'], 'entry.error.code', /^ERR_[A-Z_]+$/);
      c.string(err['message'], 'entry.error.message');
    }
  }
  if (e['outcome'] === 'error' && e['error'] === null)
    c.fail('entry.error', 'must describe the error when outcome is "error"');
  if (e['outcome'] === 'ok' && e['error'] !== null && e['error'] !== undefined)
    c.fail('entry.error', 'must be null when outcome is "ok"');
}

/** Where the entry sits in its log and who wrote it: seq, prev, time, tool and its version. */
function chainFieldProblems(c: FieldChecker, e: Record<string, unknown>): void {
  if (typeof e['seq'] !== 'number' || !Number.isSafeInteger(e['seq']) || e['seq'] < 0)
    c.fail('entry.seq', 'must be a non-negative integer');
  if (e['prev'] !== null) c.string(e['prev'], 'entry.prev', HEX_DIGEST);
  if (c.string(e['time'], 'entry.time') && !isValidTimestamp(e['time']))
    c.fail('entry.time', 'must be an RFC 3339 UTC timestamp');
  c.string(e['tool'], 'entry.tool', /^byok-(offline|online)$/, 'byok-offline or byok-online');
  c.string(e['toolVersion'], 'entry.toolVersion', /^\d+\.\d+\.\d+\S*$/, 'a version');
}

function signatureProblems(c: FieldChecker, value: unknown): void {
  c.array(value, 'entry.signatures', 1)?.forEach((sig, i) => {
    const path = `entry.signatures[${i}]`;
    const s = c.object(sig, path, ['operator', 'publicKey', 'signature']);
    if (s === undefined) return;
    c.string(s['operator'], `${path}.operator`);
    c.string(s['publicKey'], `${path}.publicKey`, BASE64, 'base64');
    c.string(s['signature'], `${path}.signature`, BASE64, 'base64');
  });
}

/** CK_TOKEN_INFO text fields are at most 32 characters; labels of our objects stay under 256. */
function hsmText(c: FieldChecker, value: unknown, path: string, max: number): void {
  if (value === undefined) return; // reported as missing by object()
  const hasControl = (text: string): boolean => {
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit < 0x20 || unit === 0x7f) return true;
    }
    return false;
  };
  if (typeof value !== 'string' || value.length > max || hasControl(value))
    c.fail(path, `must be text of at most ${max} characters without control characters`);
}

function hsmProblems(c: FieldChecker, value: unknown): void {
  const h = c.object(value, 'entry.hsm', ['token', 'objects']);
  if (h === undefined) return;
  const t = c.object(h['token'], 'entry.hsm.token', ['label', 'serial', 'manufacturer', 'model']);
  if (t !== undefined)
    for (const f of ['label', 'serial', 'manufacturer', 'model'])
      hsmText(c, t[f], `entry.hsm.token.${f}`, 32);
  c.array(h['objects'], 'entry.hsm.objects', 0)?.forEach((object, i) => {
    const o = c.object(object, `entry.hsm.objects[${i}]`, ['materialGroup', 'label', 'id']);
    if (o === undefined) return;
    c.string(
      o['materialGroup'],
      `entry.hsm.objects[${i}].materialGroup`,
      MATERIAL_GROUP,
      'a material group name',
    );
    hsmText(c, o['label'], `entry.hsm.objects[${i}].label`, 255);
    c.string(
      o['id'],
      `entry.hsm.objects[${i}].id`,
      /^([0-9a-f]{2}){1,64}$/,
      'lowercase hex, 1 to 64 bytes',
    );
  });
}

/**
 * Every way a parsed log line departs from the AuditEntry format, as `path: problem` strings.
 * Strict like the bundles: unknown fields are problems, so an edited line cannot hide data.
 */
export function auditEntryProblems(value: unknown): string[] {
  const c = new FieldChecker();
  const has = (field: string): boolean =>
    typeof value === 'object' && value !== null && Object.hasOwn(value, field);
  const hasSignatures = has('signatures');
  const hasKms = has('kms');
  const hasBackup = has('backup');
  const hasPlan = has('plan');
  const hasHsm = has('hsm');
  const e = c.object(value, 'entry', [
    ...ENTRY_FIELDS,
    ...(hasSignatures ? ['signatures'] : []),
    ...(hasKms ? ['kms'] : []),
    ...(hasBackup ? ['backup'] : []),
    ...(hasPlan ? ['plan'] : []),
    ...(hasHsm ? ['hsm'] : []),
  ]);
  if (e === undefined) return c.problems;
  c.string(e['command'], 'entry.command', /^[a-z][a-z0-9-]{0,31}( [a-z][a-z0-9-]{0,31})?$/);
  stringList(c, e['operators'], 'entry.operators');
  stringList(c, e['exceptions'], 'entry.exceptions');
  stringList(c, e['kmsRequestIds'], 'entry.kmsRequestIds');
  digestMap(c, e['inputs'], 'entry.inputs', HEX_DIGEST);
  digestMap(c, e['outputs'], 'entry.outputs', HEX_DIGEST);
  digestMap(c, e['checkCodes'], 'entry.checkCodes', CHECK_CODE);
  c.array(e['keys'], 'entry.keys', 0)?.forEach((key, i) => {
    keyRecordProblems(c, key, `entry.keys[${i}]`);
  });
  if (e['peerLogHead'] !== null) c.string(e['peerLogHead'], 'entry.peerLogHead', HEX_DIGEST);
  outcomeProblems(c, e);
  chainFieldProblems(c, e);
  if (hasKms) kmsProblems(c, e['kms'], e['tool']);
  if (hasBackup) backupProblems(c, e['backup']);
  if (hasPlan) planProblems(c, e['plan']);
  if (hasHsm) hsmProblems(c, e['hsm']);
  if (hasSignatures) signatureProblems(c, e['signatures']);
  return c.problems;
}

export function isAuditEntry(value: unknown): value is AuditEntry {
  return auditEntryProblems(value).length === 0;
}
