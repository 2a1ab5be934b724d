import { KEY_SPECS, KEY_SPEC_RULES, type KeySpec } from '../kms/rules.js';
import {
  FieldChecker,
  HEX_DIGEST,
  KCV,
  KMS_KEY_ARN,
  MATERIAL_GROUP,
  UUID,
} from '../validation/field-checker.js';
import { checkLogHead, checkOperators, checkTimestamp } from './assert-import-request.js';
import { BUNDLE_VERSION, WRAPPED_KEYS_FORMAT, type WrappedKeyBundle } from './types.js';

const BUNDLE_FIELDS = [
  'format',
  'version',
  'ceremonyId',
  'requestDigest',
  'createdAt',
  'operators',
  'auditLogHead',
  'materials',
  'targets',
];
const MATERIAL_FIELDS = ['materialGroup', 'keySpec', 'source', 'kcv', 'proof'];
const TARGET_FIELDS = ['keyArn', 'materialGroup', 'wrappingKeyFingerprint', 'encryptedKeyMaterial'];

/** The proof kind a key spec calls for: a MAC for HMAC keys, a public key for asymmetric ones. */
export function proofKindOf(keySpec: KeySpec): 'hmac' | 'public-key' | 'kcv-only' {
  const material = KEY_SPEC_RULES[keySpec].material;
  if (material?.kind === 'hmac') return 'hmac';
  if (material?.kind === 'rsa-private' || material?.kind === 'ec-private') return 'public-key';
  return 'kcv-only';
}

function checkProof(check: FieldChecker, value: unknown, path: string, keySpec: unknown): void {
  if (value === undefined) return; // reported as missing
  if (typeof value !== 'object' || value === null || !('kind' in value)) {
    check.fail(path, 'must be an object with a kind');
    return;
  }
  const kind = value.kind;
  if (!check.oneOf(kind, `${path}.kind`, ['hmac', 'public-key', 'kcv-only'] as const)) return;
  if (typeof keySpec === 'string' && (KEY_SPECS as readonly string[]).includes(keySpec)) {
    const expected = proofKindOf(keySpec as KeySpec);
    if (expected !== kind) check.fail(`${path}.kind`, `must be ${expected} for a ${keySpec} key`);
  }
  if (kind === 'hmac') {
    const proof = check.object(value, path, ['kind', 'mac']);
    check.base64(proof?.['mac'], `${path}.mac`, 28, 64);
  } else if (kind === 'public-key') {
    const proof = check.object(value, path, ['kind', 'publicKey']);
    check.base64(proof?.['publicKey'], `${path}.publicKey`, 1, 8192);
  } else {
    check.object(value, path, ['kind']);
  }
}

/** Validates a wrapped-key bundle completely; throws one ByokError listing every bad path. */
export function assertWrappedKeyBundle(value: unknown): asserts value is WrappedKeyBundle {
  const check = new FieldChecker();
  const bundle = check.object(value, '$', BUNDLE_FIELDS);
  if (bundle !== undefined) {
    check.constant(bundle['format'], '$.format', WRAPPED_KEYS_FORMAT);
    check.constant(bundle['version'], '$.version', BUNDLE_VERSION);
    check.string(bundle['ceremonyId'], '$.ceremonyId', UUID, 'a lowercase UUID');
    check.string(bundle['requestDigest'], '$.requestDigest', HEX_DIGEST, '64 lowercase hex digits');
    checkTimestamp(check, bundle['createdAt'], '$.createdAt');
    checkOperators(check, bundle['operators'], '$.operators');
    checkLogHead(check, bundle['auditLogHead'], '$.auditLogHead');

    const groups = new Set<string>();
    const materials = check.array(bundle['materials'], '$.materials', 1);
    materials?.forEach((raw, i) => {
      const path = `$.materials[${i}]`;
      const m = check.object(raw, path, MATERIAL_FIELDS);
      if (m === undefined) return;
      if (
        check.string(
          m['materialGroup'],
          `${path}.materialGroup`,
          MATERIAL_GROUP,
          'a group name of letters, digits, _ . -',
        )
      ) {
        if (groups.has(m['materialGroup'])) check.fail(`${path}.materialGroup`, 'appears twice');
        groups.add(m['materialGroup']);
      }
      check.oneOf(m['keySpec'], `${path}.keySpec`, KEY_SPECS);
      check.oneOf(m['source'], `${path}.source`, ['generated', 'file', 'components'] as const);
      check.string(m['kcv'], `${path}.kcv`, KCV, 'six uppercase hex digits');
      checkProof(check, m['proof'], `${path}.proof`, m['keySpec']);
    });

    const usedGroups = new Set<string>();
    const seenArns = new Set<string>();
    const targets = check.array(bundle['targets'], '$.targets', 1);
    targets?.forEach((raw, i) => {
      const path = `$.targets[${i}]`;
      const t = check.object(raw, path, TARGET_FIELDS);
      if (t === undefined) return;
      if (check.string(t['keyArn'], `${path}.keyArn`, KMS_KEY_ARN, 'a KMS key ARN')) {
        if (seenArns.has(t['keyArn']))
          check.fail(`${path}.keyArn`, 'appears in another target too');
        seenArns.add(t['keyArn']);
      }
      if (
        check.string(t['materialGroup'], `${path}.materialGroup`, MATERIAL_GROUP, 'a group name')
      ) {
        usedGroups.add(t['materialGroup']);
        if (materials !== undefined && !groups.has(t['materialGroup'])) {
          check.fail(`${path}.materialGroup`, 'names no entry of $.materials');
        }
      }
      check.string(
        t['wrappingKeyFingerprint'],
        `${path}.wrappingKeyFingerprint`,
        HEX_DIGEST,
        '64 lowercase hex digits',
      );
      check.base64(t['encryptedKeyMaterial'], `${path}.encryptedKeyMaterial`, 1, 6144);
    });
    for (const group of groups) {
      if (targets !== undefined && !usedGroups.has(group))
        check.fail('$.materials', `group ${group} has no target`);
    }
  }
  check.throwIfAny(
    'The wrapped-key bundle',
    'Use the file byok-offline wrap wrote, unchanged; if it was edited or damaged, wrap again from the same request.',
  );
}
