import { verifyMessage } from '../crypto/signature.js';
import { KmsError } from '../errors.js';
import type { Handler } from './context.js';
import { keyForUse, refuseDryRun } from './lib/key-for-use.js';
import { signingSchemeFor } from './lib/signing.js';

interface VerifyInput {
  KeyId: string;
  Message: Buffer;
  MessageType?: string;
  Signature: Buffer;
  SigningAlgorithm: string;
  DryRun?: boolean;
}

export const verifyHandler: Handler = (state, raw, context) => {
  const input = raw as unknown as VerifyInput;
  const { key, material } = keyForUse(state, input.KeyId, context, 'SIGN_VERIFY', 'Verify');
  const { scheme, isDigest } = signingSchemeFor(
    key,
    input.SigningAlgorithm,
    input.MessageType,
    input.Message,
  );
  refuseDryRun(input.DryRun);
  if (!verifyMessage(material, scheme, input.Message, isDigest, input.Signature)) {
    throw new KmsError(
      'KMSInvalidSignatureException',
      'The signature is not valid for the message.',
    );
  }
  return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm };
};
