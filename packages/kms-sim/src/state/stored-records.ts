import {
  ByokError,
  isKeySpec,
  isKeyUsage,
  isWrappingAlgorithm,
  isWrappingKeySpec,
} from '@byok-ceremony/shared';
import { open, seal } from '../crypto/secret-box.js';
import type {
  AliasRecord,
  AutomaticRotation,
  KeyRecord,
  MaterialRecord,
  Tag,
  WrappingKeyRecord,
} from './types.js';

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

type Json = Record<string, unknown>;

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new StateRecordError(`${path} is not an object`);
  return value as Json;
}

function only(value: Json, path: string, allowed: readonly string[]): void {
  for (const name of Object.keys(value))
    if (!allowed.includes(name)) throw new StateRecordError(`${path}.${name} is not expected`);
}

function str(value: Json, name: string, path: string, max = 2048): string {
  const v = value[name];
  if (typeof v !== 'string' || v.length > max)
    throw new StateRecordError(`${path}.${name} is not a string of at most ${max} characters`);
  return v;
}

function optStr(value: Json, name: string, path: string): string | undefined {
  return value[name] === undefined ? undefined : str(value, name, path);
}

/** Epoch seconds within what a Date can hold, so nothing loaded becomes an "Invalid time value". */
function seconds(value: Json, name: string, path: string): number {
  const v = value[name];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 8.64e12)
    throw new StateRecordError(`${path}.${name} is not a time in epoch seconds`);
  return v;
}

function optSeconds(value: Json, name: string, path: string): number | undefined {
  return value[name] === undefined ? undefined : seconds(value, name, path);
}

function bool(value: Json, name: string, path: string): boolean {
  const v = value[name];
  if (typeof v !== 'boolean') throw new StateRecordError(`${path}.${name} is not a boolean`);
  return v;
}

function oneOf<T extends string>(
  value: Json,
  name: string,
  path: string,
  allowed: readonly T[],
): T {
  const v = value[name];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw new StateRecordError(`${path}.${name} is not one of ${allowed.join(', ')}`);
  return v as T;
}

function list(value: Json, name: string, path: string, max = 10_000): unknown[] {
  const v = value[name];
  if (!Array.isArray(v) || v.length > max)
    throw new StateRecordError(`${path}.${name} is not a list of at most ${max} items`);
  return v;
}

const MATERIAL_STATES = [
  'CURRENT',
  'NON_CURRENT',
  'PENDING_ROTATION',
  'PENDING_MULTI_REGION_IMPORT_AND_ROTATION',
] as const;
const EXPIRATION_MODELS = ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'] as const;
const MATERIAL_FIELDS = [
  'id',
  'state',
  'material',
  'expirationModel',
  'validTo',
  'description',
  'rotationDate',
  'rotationType',
];
const KEY_FIELDS = [
  'keyId',
  'arn',
  'region',
  'account',
  'creationDate',
  'description',
  'keySpec',
  'keyUsage',
  'origin',
  'enabled',
  'deletionDate',
  'pendingWindowInDays',
  'multiRegion',
  'multiRegionKeyType',
  'primaryArn',
  'replicaArns',
  'tags',
  'materials',
  'automaticRotation',
];

/** Seals a record's secrets under the root key, bound to the record and field. */
export class RecordCodec {
  readonly #rootKey: Buffer;

  constructor(rootKey: Buffer) {
    this.#rootKey = rootKey;
  }

  #seal(bytes: Buffer, id: string, field: string): string {
    return seal(this.#rootKey, bytes, sealedAad(id, field)).toString('base64');
  }

  #open(value: Json, name: string, path: string, id: string, field: string): Buffer {
    const sealed = str(value, name, path, 16_384);
    try {
      return open(this.#rootKey, Buffer.from(sealed, 'base64'), sealedAad(id, field));
    } catch {
      throw new StateRecordError(
        `the sealed ${field} of ${id} does not open under the root key: sealed values were moved between records`,
      );
    }
  }

  sealSecrets(secrets: Buffer): string {
    return this.#seal(secrets, 'state', 'secrets');
  }

  openSecrets(holder: Json, path: string): Buffer {
    const secrets = this.#open(holder, 'secrets', path, 'state', 'secrets');
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

  loadKey(raw: unknown, path: string): KeyRecord {
    const v = object(raw, path);
    only(v, path, KEY_FIELDS);
    const arn = str(v, 'arn', path);
    const materials = list(v, 'materials', path, 1000).map((item, index) =>
      this.#loadMaterial(item, `${path}.materials[${index}]`, arn),
    );
    const keySpec = v.keySpec;
    const keyUsage = v.keyUsage;
    if (!isKeySpec(keySpec)) throw new StateRecordError(`${path}.keySpec is not a key spec`);
    if (!isKeyUsage(keyUsage)) throw new StateRecordError(`${path}.keyUsage is not a key usage`);
    const deletionDate = optSeconds(v, 'deletionDate', path);
    const window = v.pendingWindowInDays;
    if (window !== undefined && !(Number.isInteger(window) && Number(window) >= 0))
      throw new StateRecordError(`${path}.pendingWindowInDays is not a number of days`);
    const primaryArn = optStr(v, 'primaryArn', path);
    const key: KeyRecord = {
      keyId: str(v, 'keyId', path),
      arn,
      region: str(v, 'region', path),
      account: str(v, 'account', path),
      creationDate: seconds(v, 'creationDate', path),
      description: str(v, 'description', path, 8192),
      keySpec,
      keyUsage,
      origin: oneOf(v, 'origin', path, ['AWS_KMS', 'EXTERNAL'] as const),
      enabled: bool(v, 'enabled', path),
      multiRegion: bool(v, 'multiRegion', path),
      replicaArns: list(v, 'replicaArns', path, 100).map((item, index) => {
        if (typeof item !== 'string')
          throw new StateRecordError(`${path}.replicaArns[${index}] is not a string`);
        return item;
      }),
      tags: list(v, 'tags', path, 1000).map((item, index) =>
        loadTag(item, `${path}.tags[${index}]`),
      ),
      materials,
      ...(deletionDate === undefined ? {} : { deletionDate }),
      ...(window === undefined ? {} : { pendingWindowInDays: window as number }),
      ...(v.multiRegionKeyType === undefined
        ? {}
        : {
            multiRegionKeyType: oneOf(v, 'multiRegionKeyType', path, [
              'PRIMARY',
              'REPLICA',
            ] as const),
          }),
      ...(primaryArn === undefined ? {} : { primaryArn }),
      ...(v.automaticRotation === undefined
        ? {}
        : {
            automaticRotation: loadAutomaticRotation(
              v.automaticRotation,
              `${path}.automaticRotation`,
            ),
          }),
    };
    return key;
  }

  #loadMaterial(raw: unknown, path: string, arn: string): MaterialRecord {
    const v = object(raw, path);
    only(v, path, MATERIAL_FIELDS);
    const id = str(v, 'id', path, 64);
    const validTo = optSeconds(v, 'validTo', path);
    const rotationDate = optSeconds(v, 'rotationDate', path);
    const description = optStr(v, 'description', path);
    return {
      id,
      state: oneOf(v, 'state', path, MATERIAL_STATES),
      ...(v.material === undefined
        ? {}
        : { material: this.#open(v, 'material', path, arn, `materials.${id}.material`) }),
      ...(v.expirationModel === undefined
        ? {}
        : { expirationModel: oneOf(v, 'expirationModel', path, EXPIRATION_MODELS) }),
      ...(validTo === undefined ? {} : { validTo }),
      ...(description === undefined ? {} : { description }),
      ...(rotationDate === undefined ? {} : { rotationDate }),
      ...(v.rotationType === undefined
        ? {}
        : { rotationType: oneOf(v, 'rotationType', path, ['AUTOMATIC', 'ON_DEMAND'] as const) }),
    };
  }

  storeWrappingKey(record: WrappingKeyRecord): Json {
    const { privateKeyDer, ...rest } = record;
    return { ...rest, privateKeyDer: this.#seal(privateKeyDer, rest.tokenId, 'privateKeyDer') };
  }

  loadWrappingKey(raw: unknown, path: string): WrappingKeyRecord {
    const v = object(raw, path);
    only(v, path, [
      'tokenId',
      'keyArn',
      'wrappingKeySpec',
      'wrappingAlgorithm',
      'privateKeyDer',
      'expiresAt',
    ]);
    const tokenId = str(v, 'tokenId', path, 64);
    const { wrappingKeySpec, wrappingAlgorithm } = v;
    if (!isWrappingKeySpec(wrappingKeySpec))
      throw new StateRecordError(`${path}.wrappingKeySpec is not a wrapping key spec`);
    if (!isWrappingAlgorithm(wrappingAlgorithm))
      throw new StateRecordError(`${path}.wrappingAlgorithm is not a wrapping algorithm`);
    return {
      tokenId,
      keyArn: str(v, 'keyArn', path),
      wrappingKeySpec,
      wrappingAlgorithm,
      privateKeyDer: this.#open(v, 'privateKeyDer', path, tokenId, 'privateKeyDer'),
      expiresAt: seconds(v, 'expiresAt', path),
    };
  }
}

/** Written by EnableKeyRotation (older state files have none: rotation off). */
function loadAutomaticRotation(raw: unknown, path: string): AutomaticRotation {
  const v = object(raw, path);
  only(v, path, ['periodInDays', 'since']);
  const period = v.periodInDays;
  // The service model's RotationPeriodInDaysType: 90 to 2560.
  if (!(Number.isInteger(period) && Number(period) >= 90 && Number(period) <= 2560))
    throw new StateRecordError(
      `${path}.periodInDays is not a whole number of days from 90 to 2560`,
    );
  return { periodInDays: period as number, since: seconds(v, 'since', path) };
}

function loadTag(raw: unknown, path: string): Tag {
  const v = object(raw, path);
  only(v, path, ['TagKey', 'TagValue']);
  return { TagKey: str(v, 'TagKey', path, 128), TagValue: str(v, 'TagValue', path, 256) };
}

export function loadAlias(raw: unknown, path: string): AliasRecord {
  const v = object(raw, path);
  only(v, path, ['name', 'region', 'targetKeyId', 'creationDate', 'lastUpdatedDate']);
  return {
    name: str(v, 'name', path, 256),
    region: str(v, 'region', path, 64),
    targetKeyId: str(v, 'targetKeyId', path, 64),
    creationDate: seconds(v, 'creationDate', path),
    lastUpdatedDate: seconds(v, 'lastUpdatedDate', path),
  };
}

export { object as jsonObject, list as jsonList };
