import { ByokError, MAX_VALID_TO_SECONDS } from '@byok-ceremony/shared';
import type { ExpirationModel } from '../kms/kms-port.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export interface Expiration {
  readonly expirationModel: ExpirationModel;
  readonly validTo: Date | undefined;
}

/**
 * --expiration-model and --valid-to as KMS accepts them: no --valid-to means the material does
 * not expire; --valid-to means it expires then, a future date at most 365 days ahead.
 */
export function resolveExpiration(
  model: string | undefined,
  validTo: string | undefined,
  now: Date,
): Expiration {
  if (
    model !== undefined &&
    model !== 'KEY_MATERIAL_EXPIRES' &&
    model !== 'KEY_MATERIAL_DOES_NOT_EXPIRE'
  ) {
    throw new ByokError('ERR_USAGE', `unknown --expiration-model ${model}`, {
      hint: 'Use KEY_MATERIAL_DOES_NOT_EXPIRE, or KEY_MATERIAL_EXPIRES with --valid-to DATE.',
    });
  }
  if (validTo === undefined) {
    if (model === 'KEY_MATERIAL_EXPIRES') {
      throw new ByokError('ERR_USAGE', '--expiration-model KEY_MATERIAL_EXPIRES needs --valid-to', {
        hint: 'Add --valid-to DATE (RFC 3339, e.g. 2027-06-30T00:00:00Z), or drop --expiration-model for material that does not expire.',
      });
    }
    return { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', validTo: undefined };
  }
  if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    throw new ByokError(
      'ERR_USAGE',
      '--valid-to cannot go with --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE',
      {
        hint: 'Drop --valid-to for material that does not expire, or drop --expiration-model to let it expire at --valid-to.',
      },
    );
  }
  const date = new Date(validTo);
  if (!RFC3339.test(validTo) || Number.isNaN(date.getTime())) {
    throw new ByokError('ERR_USAGE', `--valid-to ${validTo} is not an RFC 3339 date and time`, {
      hint: 'Write it like 2027-06-30T00:00:00Z.',
    });
  }
  if (date.getTime() <= now.getTime()) {
    throw new ByokError('ERR_USAGE', `--valid-to ${validTo} is in the past`, {
      hint: 'Give a future date (at most 365 days ahead), or drop --valid-to for material that does not expire.',
    });
  }
  if (date.getTime() - now.getTime() > MAX_VALID_TO_SECONDS * 1000) {
    throw new ByokError('ERR_USAGE', `--valid-to ${validTo} is more than 365 days ahead`, {
      hint: 'KMS accepts at most 365 days; re-import the same material before it expires to extend it.',
    });
  }
  return { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: date };
}
