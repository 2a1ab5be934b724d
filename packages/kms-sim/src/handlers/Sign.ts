import { signMessage } from '../crypto/signature.js';
import type { Handler } from './context.js';
import { keyForUse, refuseDryRun } from './lib/key-for-use.js';
import { signingSchemeFor } from './lib/signing.js';

interface SignInput {
  KeyId: string;
  Message: Buffer;
  MessageType?: string;
  SigningAlgorithm: string;
  DryRun?: boolean;
}

export const signHandler: Handler = (state, raw, context) => {
  const input = raw as unknown as SignInput;
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
