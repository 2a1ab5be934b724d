import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ByokError, KEY_SPEC_RULES, type KeySpec } from '@byok-ceremony/shared';

/**
 * Fresh key material for one key spec: raw random bytes for symmetric and HMAC keys, a new
 * private key as PKCS#8 DER for asymmetric ones. The caller owns the Buffer and zeroes it.
 * byok-offline makes customer material with it, byok-kms-sim the material of AWS_KMS keys.
 * Limit: the KeyObject generateKeyPairSync builds cannot be zeroed; it is dropped at once.
 */
export function generateKeyMaterial(keySpec: KeySpec): Buffer {
  const rule = KEY_SPEC_RULES[keySpec].material;
  switch (rule?.kind) {
    case 'symmetric':
      return randomBytes(rule.bytes);
    case 'hmac':
      return randomBytes(rule.minBytes);
    case 'rsa-private':
      return generateKeyPairSync('rsa', {
        modulusLength: rule.modulusBits,
        publicExponent: 65537,
      }).privateKey.export({ format: 'der', type: 'pkcs8' });
    case 'ec-private':
      return generateKeyPairSync('ec', { namedCurve: rule.curve }).privateKey.export({
        format: 'der',
        type: 'pkcs8',
      });
    case undefined:
      throw new ByokError(
        'ERR_KEY_NOT_IMPORTABLE',
        `KMS does not accept imported material for ${keySpec}`,
        {
          hint: 'Create the key with a key spec that takes imported material (see docs/kms-rules.md).',
        },
      );
  }
}
