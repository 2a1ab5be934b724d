import { describe, expect, it } from 'vitest';
import { kmsError } from '../../src/kms/kms-error.js';

const ARN = 'arn:aws:kms:eu-west-2:111122223333:key/11111111-2222-3333-4444-555555555555';

/** An SDK exception as the client throws it: its name is KMS's exception type. */
function refused(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe("kmsError: hints for AWS's answers about rotation and MAC algorithms", () => {
  it('RotateKeyOnDemand with no material pending rotation says to import new material first', () => {
    const e = kmsError(
      'RotateKeyOnDemand',
      ARN,
      refused(
        'KMSInvalidStateException',
        `No available key material pending rotation for the key: ${ARN}.`,
      ),
    );
    expect(e.message).toBe(
      `KMS refused RotateKeyOnDemand for ${ARN}: KMSInvalidStateException: No available key material pending rotation for the key: ${ARN}.`,
    );
    expect(e.hint).toMatch(/^KMS rotates a key of imported material only to new material/);
  });

  it('a second new material while one is pending names rotate and delete-material', () => {
    const e = kmsError(
      'ImportKeyMaterial',
      ARN,
      refused(
        'KMSInvalidStateException',
        `New key material (id: ${'a'.repeat(64)}) cannot be imported into KMS key 11111111-2222-3333-4444-555555555555, because another key material (id: ${'b'.repeat(64)}) is pending rotation.`,
      ),
    );
    expect(e.hint).toContain('byok-online rotate');
    expect(e.hint).toContain('byok-online delete-material');
  });

  it('a MAC algorithm of another key spec points at the key spec', () => {
    const e = kmsError(
      'GenerateMac',
      ARN,
      refused(
        'InvalidKeyUsageException',
        'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_384.',
      ),
    );
    expect(e.hint).toContain('only the MAC algorithm of its key spec');
  });

  it('other operations keep the general hint of KMSInvalidStateException', () => {
    const e = kmsError(
      'Encrypt',
      ARN,
      refused('KMSInvalidStateException', `${ARN} is pending import.`),
    );
    expect(e.hint).toMatch(/^The key is not in a state that allows this/);
  });
});
