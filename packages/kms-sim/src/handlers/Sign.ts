import { signMessage } from '../crypto/signature.js';
import type { Handler } from './context.js';
import { keyForUse, refuseDryRun } from './lib/key-for-use.js';
import { signingSchemeFor } from './lib/signing.js';

export const signHandler: Handler<'Sign'> = (state, input, context) => {
  const { key, material } = keyForUse(state, input.KeyId, context, 'SIGN_VERIFY', 'Sign');
  const { scheme, isDigest } = signingSchemeFor(
    key,
    input.SigningAlgorithm,
    input.MessageType,
    input.Message,
  );
  refuseDryRun(input.DryRun);
  return {
    KeyId: key.arn,
    Signature: signMessage(material, scheme, input.Message, isDigest),
    SigningAlgorithm: input.SigningAlgorithm,
  };
};
