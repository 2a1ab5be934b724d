import { timingSafeEqual } from 'node:crypto';
import { KmsError } from '../errors.js';
import type { Handler } from './context.js';
import { macOf } from './GenerateMac.js';
import { keyForUse, refuseDryRun } from './lib/key-for-use.js';

export const verifyMac: Handler<'VerifyMac'> = (state, input, context) => {
  const { key, material } = keyForUse(
    state,
    input.KeyId,
    context,
    'GENERATE_VERIFY_MAC',
    'VerifyMac',
  );
  const expected = macOf(key, material, input.MacAlgorithm, input.Message);
  refuseDryRun(input.DryRun);
  if (expected.length !== input.Mac.length || !timingSafeEqual(expected, input.Mac)) {
    throw new KmsError('KMSInvalidMacException', 'The MAC is not valid for the message.');
  }
  return { KeyId: key.arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
};
