import { timingSafeEqual } from 'node:crypto';
import {
  ByokError,
  KEY_SPEC_RULES,
  proofMessage,
  type ImportTarget,
  type MaterialRecord,
} from '@byok-ceremony/shared';
import type { KmsPort } from '../kms/kms-port.js';

export type ProofKind = 'hmac' | 'public-key' | 'kcv-only';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function proofFailed(keyArn: string, what: string): ByokError {
  return new ByokError('ERR_PROOF_FAILED', `${keyArn}: ${what}`, {
    hint: 'The material in KMS is not the material wrapped offline: stop the ceremony and investigate; consider DeleteImportedKeyMaterial on this key before it is used.',
  });
}

/**
 * Proves that KMS holds the material the offline side wrapped: HMAC keys by GenerateMac over the
 * ceremony's proof message, asymmetric keys by GetPublicKey. Symmetric keys cannot be proven
 * outside KMS; their KeyMaterialId and KCV go on record instead.
 */
export async function proveMaterial(
  kms: KmsPort,
  target: ImportTarget,
  material: MaterialRecord,
  requestDigest: string,
): Promise<{ readonly proof: ProofKind; readonly proven: boolean }> {
  const proof = material.proof;
  switch (proof.kind) {
    case 'hmac': {
      const rule = KEY_SPEC_RULES[target.keySpec].material;
      if (rule?.kind !== 'hmac')
        throw proofFailed(target.keyArn, `an HMAC proof for a ${target.keySpec} key`);
      const expected = Buffer.from(proof.mac, 'base64');
      const mac = await kms.generateMac(
        target.keyArn,
        proofMessage(requestDigest, target.materialGroup),
        rule.macAlgorithm,
      );
      if (!sameBytes(mac, expected))
        throw proofFailed(
          target.keyArn,
          'GenerateMac in KMS differs from the MAC computed offline',
        );
      return { proof: 'hmac', proven: true };
    }
    case 'public-key': {
      const expected = Buffer.from(proof.publicKey, 'base64');
      const publicKey = await kms.getPublicKey(target.keyArn);
      if (!sameBytes(publicKey, expected))
        throw proofFailed(
          target.keyArn,
          'GetPublicKey in KMS differs from the public key of the material wrapped offline',
        );
      return { proof: 'public-key', proven: true };
    }
    case 'kcv-only':
      return { proof: 'kcv-only', proven: false };
  }
}
