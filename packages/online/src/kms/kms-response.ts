import { ByokError, KMS_KEY_ARN, quoteForMessage } from '@byok-ceremony/shared';

/**
 * Checks on what a KMS endpoint answers, before any of it is used: the endpoint may be a
 * simulator, a proxy or an attacker, and a key id becomes a folder name and an audit record.
 */

/** A key id as KMS makes them: a lowercase UUID, or mrk- and 32 hex digits for multi-Region keys. */
export const KMS_KEY_ID =
  /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
/** BackingKeyIdType of the KMS model: 64 lowercase hex digits. */
const KEY_MATERIAL_ID = /^[a-f0-9]{64}$/;
/** The model's enum values (key states, specs, usages, origins): one word of letters, digits, _. */
const ENUM_VALUE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** The earliest and latest date an answer may carry: 1970 to the end of year 9999. */
const MIN_DATE_MS = 0;
const MAX_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

function invalid(operation: string, field: string, why: string): ByokError {
  return new ByokError('ERR_KMS', `KMS ${operation} answered an invalid ${field}: ${why}`, {
    hint: 'The endpoint does not behave like KMS: check --endpoint-url (and any proxy in between); nothing was written.',
  });
}

function shown(value: unknown): string {
  return typeof value === 'string' ? quoteForMessage(value) : typeof value;
}

export function checkKeyId(operation: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || !KMS_KEY_ID.test(value))
    throw invalid(operation, field, `${shown(value)} is not a KMS key id`);
  return value;
}

export function checkKeyArn(operation: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || !KMS_KEY_ARN.test(value))
    throw invalid(operation, field, `${shown(value)} is not a KMS key ARN`);
  return value;
}

export function checkEnum(operation: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || !ENUM_VALUE.test(value))
    throw invalid(operation, field, `${shown(value)} is not a KMS value`);
  return value;
}

export function checkKeyMaterialId(operation: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || !KEY_MATERIAL_ID.test(value))
    throw invalid(operation, field, `${shown(value)} is not 64 lowercase hex digits`);
  return value;
}

export function checkDate(operation: string, field: string, value: unknown): Date {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms) || ms < MIN_DATE_MS || ms > MAX_DATE_MS)
    throw invalid(operation, field, 'not a date between 1970 and 9999');
  return value as Date;
}

export function checkBlob(
  operation: string,
  field: string,
  value: unknown,
  min: number,
  max: number,
): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length < min || value.length > max)
    throw invalid(
      operation,
      field,
      value instanceof Uint8Array ? `${value.length} bytes, not ${min}–${max}` : 'not binary data',
    );
  // A copy of its own size: the SDK decodes base64 into a view of Node's shared 8 KiB buffer
  // pool, and a kept view keeps the whole pool alive (about 5 KB a key at 10,000 keys).
  return new Uint8Array(value);
}

export function checkText(operation: string, field: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.length > max)
    throw invalid(operation, field, `not a string of at most ${max} characters`);
  return value;
}

/** KeyMaterialDescriptionType of the KMS model: 0–256 characters of [a-zA-Z0-9:/_\s.-]. */
const KEY_MATERIAL_DESCRIPTION = /^[a-zA-Z0-9:/_\s.-]{0,256}$/u;

export function checkKeyMaterialDescription(
  operation: string,
  field: string,
  value: unknown,
): string {
  if (typeof value !== 'string' || !KEY_MATERIAL_DESCRIPTION.test(value))
    throw invalid(operation, field, `${shown(value)} is not a KMS key material description`);
  return value;
}

/** `value` checked by `check` when present; undefined stays undefined. */
export function optional<T>(
  value: unknown,
  check: (operation: string, field: string, value: unknown) => T,
  operation: string,
  field: string,
): T | undefined {
  return value === undefined || value === null ? undefined : check(operation, field, value);
}
