import { createHmac } from 'node:crypto';
import { KEY_SPEC_RULES } from '@byok-ceremony/shared';
import { KmsError } from '../errors.js';
import type { KeyRecord } from '../state/types.js';
import type { Handler } from './context.js';
import { keyForUse, refuseDryRun } from './lib/key-for-use.js';

/** The HMAC of the key's material, after checking the algorithm suits the key spec. */
export function macOf(
  key: KeyRecord,
  material: Buffer,
  algorithm: string,
  message: Buffer,
): Buffer {
  const rule = KEY_SPEC_RULES[key.keySpec].material;
  if (rule?.kind !== 'hmac' || rule.macAlgorithm !== algorithm) {
    // AWS's words for GenerateMac and VerifyMac alike (LocalStack's snapshot, recorded against AWS).
    throw new KmsError(
      'InvalidKeyUsageException',
      `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`,
    );
  }
  return createHmac(rule.hash, material).update(message).digest();
}

export const generateMac: Handler<'GenerateMac'> = (state, input, context) => {
  const { key, material } = keyForUse(
    state,
    input.KeyId,
    context,
    'GENERATE_VERIFY_MAC',
    'GenerateMac',
  );
  const mac = macOf(key, material, input.MacAlgorithm, input.Message);
  refuseDryRun(input.DryRun);
  return { Mac: mac, MacAlgorithm: input.MacAlgorithm, KeyId: key.arn };
};
