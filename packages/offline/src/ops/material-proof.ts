import { createHmac } from 'node:crypto';
import {
  KEY_SPEC_RULES,
  proofMessage,
  type KeySpec,
  type MaterialProof,
} from '@byok-ceremony/shared';
import { publicKeyOfPrivate } from './material-kcv.js';

/** What lets import prove KMS holds this material: a MAC, the public key, or the KCV alone. */
export function materialProof(
  keySpec: KeySpec,
  material: Buffer,
  requestDigest: string,
  materialGroup: string,
): MaterialProof {
  const rule = KEY_SPEC_RULES[keySpec].material;
  switch (rule?.kind) {
    case 'hmac': {
      const mac = createHmac(rule.hash, material)
        .update(proofMessage(requestDigest, materialGroup))
        .digest();
      return { kind: 'hmac', mac: mac.toString('base64') };
    }
    case 'rsa-private':
    case 'ec-private':
      return {
        kind: 'public-key',
        publicKey: Buffer.from(publicKeyOfPrivate(material)).toString('base64'),
      };
    case 'symmetric':
    case undefined:
      return { kind: 'kcv-only' };
  }
}
