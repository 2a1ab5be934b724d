import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
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

  describe('the PKCS#1 fast path', () => {
    const spki = der(wrappingKeyPair(2048).publicKey);

    /** The general parser alone: the key it reads from the bytes, or undefined if it refuses them. */
    function generalKey(bytes: Uint8Array): KeyObject | undefined {
      try {
        return createPublicKey({ key: Buffer.from(bytes), format: 'der', type: 'spki' });
      } catch {
        return undefined;
      }
    }

    function outcome(bytes: Uint8Array): string {
      try {
        const parsed = parseWrappingKey(bytes, undefined, 'key');
        return `key ${parsed.key.export({ type: 'spki', format: 'der' }).toString('hex')}`;
      } catch (error) {
        expect(error).toMatchObject({ code: 'ERR_WRAPPING_KEY_INVALID' });
        return 'refused';
      }
    }

    it('reads the same key as the general parser from a KMS-shaped SPKI', () => {
      for (const bits of [2048, 3072, 4096] as const) {
        const bytes = der(wrappingKeyPair(bits).publicKey);
        const parsed = parseWrappingKey(bytes, `RSA_${bits}`, 'key');
        expect(parsed.key.equals(generalKey(bytes)!)).toBe(true);
        expect(parsed.key.export({ type: 'spki', format: 'der' })).toEqual(bytes);
      }
    });

    it('never accepts what the general parser refuses, and reads the same key when both accept', () => {
      const mutation = fc.oneof(
        fc.record({ at: fc.nat(spki.length - 1), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ cut: fc.integer({ min: 1, max: spki.length - 1 }) }),
        fc.record({ append: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
      );
      fc.assert(
        fc.property(mutation, (m) => {
          let bytes: Buffer = Buffer.from(spki);
          if ('at' in m) bytes[m.at] = m.value;
          else if ('cut' in m) bytes = bytes.subarray(0, m.cut);
          else bytes = Buffer.concat([bytes, m.append]);
          const general = generalKey(bytes);
          const result = outcome(bytes);
          if (general === undefined) expect(result).toBe('refused');
          else if (result !== 'refused')
            expect(result).toBe(
              `key ${general.export({ type: 'spki', format: 'der' }).toString('hex')}`,
            );
        }),
        { numRuns: 300 },
      );
    });

    it('leaves a SPKI whose lengths are not minimal DER to the general parser', () => {
      // The same key with its outer length in three bytes (0x83): the fast path does not apply.
      const body = spki.subarray(4);
      const longForm = Buffer.concat([Buffer.from([0x30, 0x83, 0x00]), spki.subarray(2, 4), body]);
      const general = generalKey(longForm);
      const result = outcome(longForm);
      expect(result).toBe(
        general === undefined
          ? 'refused'
          : `key ${general.export({ type: 'spki', format: 'der' }).toString('hex')}`,
      );
    });
  });
});
