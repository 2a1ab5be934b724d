import { createPrivateKey, createPublicKey } from 'node:crypto';
import { algorithmsOf } from '../crypto/algorithms.js';
import { KmsError } from '../errors.js';
import { customerMasterKeySpecOf } from '../state/key-metadata.js';
import { currentMaterial, requireUsable } from '../state/store.js';
import type { Handler } from './context.js';

export const getPublicKey: Handler<'GetPublicKey'> = (state, input, context) => {
  const key = state.resolveKey(input.KeyId, context, { aliases: true });
  requireUsable(key);
  const material = currentMaterial(key)?.material;
  if (
    key.keySpec === 'SYMMETRIC_DEFAULT' ||
    key.keySpec.startsWith('HMAC_') ||
    material === undefined
  ) {
    throw new KmsError(
      'UnsupportedOperationException',
      `${key.arn} key usage and key spec do not have a public key.`,
    );
  }
  const publicKey = createPublicKey(
    createPrivateKey({ key: material, format: 'der', type: 'pkcs8' }),
  );
  return {
    KeyId: key.arn,
    PublicKey: publicKey.export({ format: 'der', type: 'spki' }),
    CustomerMasterKeySpec: customerMasterKeySpecOf(key.keySpec),
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    ...algorithmsOf(key.keySpec, key.keyUsage),
  };
};
