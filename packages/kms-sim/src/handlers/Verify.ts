import { verifyMessage } from '../crypto/signature.js';
import { KmsError } from '../errors.js';
import type { Handler } from './context.js';
import { keyForUse, refuseDryRun } from './lib/key-for-use.js';
import { signingSchemeFor } from './lib/signing.js';

export const verifyHandler: Handler<'Verify'> = (state, input, context) => {
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
