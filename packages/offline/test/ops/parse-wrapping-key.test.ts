import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWrappingKey } from '../../src/ops/parse-wrapping-key.js';
import { wrappingKeyPair } from '../helpers/request-fixture.js';

const der = (key: ReturnType<typeof generateKeyPairSync>['publicKey']): Buffer =>
  key.export({ format: 'der', type: 'spki' });

describe('parseWrappingKey', () => {
  it('takes the spec from the modulus when none is declared', () => {
    expect(
      parseWrappingKey(der(wrappingKeyPair(2048).publicKey), undefined, 'key').wrappingKeySpec,
    ).toBe('RSA_2048');
  });

  it.each([
    [
      'a 1024-bit key',
      () => der(wrappingKeyPair(1024).publicKey),
      undefined,
      /1024-bit RSA key; KMS wrapping keys have at least 2048 bits/,
    ],
    [
      'a size other than the declared spec',
      () => der(wrappingKeyPair(2048).publicKey),
      'RSA_4096',
      /is RSA_2048 but is declared as RSA_4096/,
    ],
    [
      'an EC key',
      () => der(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey),
      undefined,
      /is a ec key; KMS wrapping keys are RSA/,
    ],
    [
      'exponent 3',
      () => der(generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }).publicKey),
      undefined,
      /public exponent 3/,
    ],
    [
      'a 2560-bit key',
      () => der(generateKeyPairSync('rsa', { modulusLength: 2560 }).publicKey),
      undefined,
      /2560-bit RSA key; KMS wrapping keys are RSA_2048, RSA_3072 or RSA_4096/,
    ],
    [
      'base64 text',
      () => Buffer.from(der(wrappingKeyPair(2048).publicKey).toString('base64')),
      undefined,
      /not a DER SubjectPublicKeyInfo/,
    ],
  ] as const)('refuses %s', (_name, make, declared, message) => {
    let error: unknown;
    try {
      parseWrappingKey(make(), declared, 'key');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'ERR_WRAPPING_KEY_INVALID',
      message: expect.stringMatching(message),
    });
    expect((error as { hint?: string }).hint).toBeTruthy();
  });
});
