import {
  ByokError,
  FieldChecker,
  HEX_DIGEST,
  KEY_SPECS,
  KEY_USAGES,
  KMS_KEY_ARN,
  UUID,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
} from '@byok-ceremony/shared';
import { open, seal } from '../crypto/secret-box.js';
import type { AliasRecord, KeyRecord, MaterialRecord, WrappingKeyRecord } from './types.js';

/** Records as the state file holds them: secrets sealed, everything else as JSON has it. */
export const STATE_FORMAT = 'byok-kms-sim-state/3';

/** Associated data of a sealed value: the record it belongs to and the field, so none can move. */
function sealedAad(id: string, field: string): Buffer {
  return Buffer.from(JSON.stringify([STATE_FORMAT, id, field]), 'utf8');
}

export class StateRecordError extends ByokError {
  constructor(message: string) {
    super('ERR_INPUT_FILE', message, {
      hint: 'the state file was written by another version or edited; start from a new --state-file',
    });
  }
}

export type Json = Record<string, unknown>;

/**
 * The state file's lines are authenticated, so these checks only make sure that what loads is
 * what the handlers expect (the types of src/state/types.ts), whatever version wrote it.
 */
type Rule = (check: FieldChecker, value: unknown, path: string) => void;

interface RecordRules {
  required: Readonly<Record<string, Rule>>;
  optional?: Readonly<Record<string, Rule>>;
}

const text: Rule = (check, value, path) => check.string(value, path);
const arn: Rule = (check, value, path) => check.string(value, path, KMS_KEY_ARN, 'a KMS key ARN');
const oneOf =
  (options: readonly string[]): Rule =>
  (check, value, path) =>
    check.oneOf(value, path, options);
const flag: Rule = (check, value, path) => {
  if (typeof value !== 'boolean') check.fail(path, 'must be a boolean');
};
/** Within what a Date can hold, so nothing loaded becomes an "Invalid time value". */
const seconds: Rule = (check, value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 8.64e12)
    check.fail(path, 'must be a time in epoch seconds');
};
const wholeNumber =
  (min: number, max: number): Rule =>
  (check, value, path) => {
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
      check.fail(path, `must be a whole number from ${min} to ${max}`);
  };
const listOf =
  (item: Rule): Rule =>
  (check, value, path) =>
    check.array(value, path, 0)?.forEach((each, index) => {
      item(check, each, `${path}[${index}]`);
    });
const recordOf =
  (rules: RecordRules): Rule =>
  (check, value, path) => {
    checkRecord(check, value, path, rules);
  };

/** Checks one record: the required fields, the optional ones it has, and nothing else. */
export function checkRecord(
  check: FieldChecker,
  value: unknown,
  path: string,
  { required, optional = {} }: RecordRules,
): Json | undefined {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const present = Object.keys(optional).filter((name) => isObject && Object.hasOwn(value, name));
  const record = check.object(value, path, [...Object.keys(required), ...present]);
  if (record === undefined) return undefined;
  for (const [name, rule] of Object.entries({ ...required, ...optional }))
    if (record[name] !== undefined) rule(check, record[name], `${path}.${name}`);
  return record;
}

const MATERIAL: RecordRules = {
  required: {
    id: (check, value, path) => check.string(value, path, HEX_DIGEST, '64 lowercase hex digits'),
    state: oneOf([
      'CURRENT',
      'NON_CURRENT',
      'PENDING_ROTATION',
      'PENDING_MULTI_REGION_IMPORT_AND_ROTATION',
    ]),
  },
  optional: {
    material: text,
    expirationModel: oneOf(['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE']),
    validTo: seconds,
    description: text,
    rotationDate: seconds,
    rotationType: oneOf(['AUTOMATIC', 'ON_DEMAND']),
  },
};

const KEY_RULES: RecordRules = {
  required: {
    keyId: text,
    arn,
    region: text,
    account: text,
    creationDate: seconds,
    description: text,
    keySpec: oneOf(KEY_SPECS),
    keyUsage: oneOf(KEY_USAGES),
    origin: oneOf(['AWS_KMS', 'EXTERNAL']),
    enabled: flag,
    multiRegion: flag,
    replicaArns: listOf(arn),
    tags: listOf(recordOf({ required: { TagKey: text, TagValue: text } })),
    materials: listOf(recordOf(MATERIAL)),
  },
  optional: {
    deletionDate: seconds,
    pendingWindowInDays: wholeNumber(0, 30),
    multiRegionKeyType: oneOf(['PRIMARY', 'REPLICA']),
    primaryArn: arn,
    policy: text,
    // Written by EnableKeyRotation (older state files have none: rotation off); the service
    // model's RotationPeriodInDaysType is 90 to 2560.
    automaticRotation: recordOf({
      required: { periodInDays: wholeNumber(90, 2560), since: seconds },
    }),
  },
};

const ALIAS_RULES: RecordRules = {
  required: {
    name: text,
    region: text,
    targetKeyId: text,
    creationDate: seconds,
    lastUpdatedDate: seconds,
  },
};

const WRAPPING_KEY_RULES: RecordRules = {
  required: {
    tokenId: (check, value, path) => check.string(value, path, UUID, 'a UUID'),
    keyArn: arn,
    wrappingKeySpec: oneOf(WRAPPING_KEY_SPECS),
    wrappingAlgorithm: oneOf(WRAPPING_ALGORITHMS),
    privateKeyDer: text,
    expiresAt: seconds,
  },
};

/** A section maps an id to its record (null where a change line deleted it). */
const sectionOf =
  (rules: RecordRules, idField?: string): Rule =>
  (check, value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      check.fail(path, 'must be an object');
      return;
    }
    for (const [id, raw] of Object.entries(value as Json)) {
      if (raw === null) continue;
      const where = `${path}[${JSON.stringify(id)}]`;
      const record = checkRecord(check, raw, where, rules);
      if (idField !== undefined && record !== undefined && record[idField] !== id)
        check.fail(`${where}.${idField}`, 'must be the id the record is filed under');
    }
  };

const SECTIONS = {
  keys: sectionOf(KEY_RULES, 'arn'),
  aliases: sectionOf(ALIAS_RULES),
  wrappingKeys: sectionOf(WRAPPING_KEY_RULES, 'tokenId'),
};

/** The first line: the format (checked apart), the sealed secrets, every record. */
export const SNAPSHOT_RULES: RecordRules = {
  required: { format: () => undefined, secrets: text },
  optional: SECTIONS,
};

/** Each later line: the records a request changed. */
export const CHANGE_RULES: RecordRules = { required: {}, optional: SECTIONS };

/** Seals a record's secrets under the root key, bound to the record and field. */
export class RecordCodec {
  readonly #rootKey: Buffer;

  constructor(rootKey: Buffer) {
    this.#rootKey = rootKey;
  }

  #seal(bytes: Buffer, id: string, field: string): string {
    return seal(this.#rootKey, bytes, sealedAad(id, field)).toString('base64');
  }

  #open(sealed: unknown, id: string, field: string): Buffer {
    try {
      return open(this.#rootKey, Buffer.from(String(sealed), 'base64'), sealedAad(id, field));
    } catch {
      throw new StateRecordError(
        `the sealed ${field} of ${id} does not open under the root key: sealed values were moved between records`,
      );
    }
  }

  sealSecrets(secrets: Buffer): string {
    return this.#seal(secrets, 'state', 'secrets');
  }

  openSecrets(sealed: unknown, path: string): Buffer {
    const secrets = this.#open(sealed, 'state', 'secrets');
    if (secrets.length !== 64) throw new StateRecordError(`${path}.secrets is not 64 bytes`);
    return secrets;
  }

  storeKey(key: KeyRecord): Json {
    return {
      ...key,
      materials: key.materials.map(({ material, ...rest }) => ({
        ...rest,
        ...(material === undefined
          ? {}
          : { material: this.#seal(material, key.arn, `materials.${rest.id}.material`) }),
      })),
    };
  }

  /** A key record checked against KEY_RULES, its materials opened. */
  loadKey(record: Json): KeyRecord {
    type StoredMaterial = Omit<MaterialRecord, 'material'> & { material?: string };
    const key = record as unknown as Omit<KeyRecord, 'materials'> & { materials: StoredMaterial[] };
    return {
      ...key,
      materials: key.materials.map(({ material, ...rest }) => ({
        ...rest,
        ...(material === undefined
          ? {}
          : { material: this.#open(material, key.arn, `materials.${rest.id}.material`) }),
      })),
    };
  }

  storeWrappingKey(record: WrappingKeyRecord): Json {
    const { privateKeyDer, ...rest } = record;
    return { ...rest, privateKeyDer: this.#seal(privateKeyDer, rest.tokenId, 'privateKeyDer') };
  }

  /** A wrapping key record checked against WRAPPING_KEY_RULES, its private key opened. */
  loadWrappingKey(record: Json): WrappingKeyRecord {
    const { privateKeyDer, ...rest } = record as unknown as Omit<
      WrappingKeyRecord,
      'privateKeyDer'
    > & {
      privateKeyDer: string;
    };
    return { ...rest, privateKeyDer: this.#open(privateKeyDer, rest.tokenId, 'privateKeyDer') };
  }
}

/** An alias record checked against ALIAS_RULES. */
export function loadAlias(record: Json): AliasRecord {
  return record as unknown as AliasRecord;
}
