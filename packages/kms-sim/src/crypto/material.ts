import { createPrivateKey } from 'node:crypto';
import { generateKeyMaterial as generateImportableKeyMaterial } from '@byok-ceremony/node-io/key-material';
import { KEY_SPEC_RULES } from '@byok-ceremony/shared';
import type { KeySpec } from '@byok-ceremony/shared';
import { KmsError } from '../errors.js';
import { IMPORT_ACCEPTANCE } from '../model/import-acceptance.js';

function incorrect(message: string): KmsError {
  return new KmsError('IncorrectKeyMaterialException', message);
}

/** Sizes from the simulator's own acceptance table, not the tools' rules. */
function secretSizeAccepted(keySpec: KeySpec, bytes: number): boolean {
  const material = IMPORT_ACCEPTANCE[keySpec]?.material;
  return material?.kind === 'secret' && bytes >= material.minBytes && bytes <= material.maxBytes;
}

/**
 * Checks unwrapped material against the rules table for the key spec and returns it in
 * canonical form (raw bytes, or PKCS#8 DER as node:crypto re-encodes it, so that the same
 * private key always has the same KeyMaterialId). Wrong size or type answers
 * IncorrectKeyMaterialException: the model documents it for material that is "invalid, or
 * does not meet expectations".
 */
export function checkKeyMaterial(keySpec: KeySpec, material: Buffer): Buffer {
  const rule = KEY_SPEC_RULES[keySpec].material;
  if (rule === undefined) throw incorrect(`${keySpec} keys do not accept imported key material`);
  switch (rule.kind) {
    case 'symmetric':
      if (!secretSizeAccepted(keySpec, material.length)) {
        throw incorrect(
          `Key material for ${keySpec} must be ${rule.bytes * 8} bits; got ${material.length * 8} bits`,
        );
      }
      return Buffer.from(material);
    case 'hmac':
      if (!secretSizeAccepted(keySpec, material.length)) {
        throw incorrect(
          `Key material for ${keySpec} must be between ${rule.minBytes * 8} and ${rule.maxBytes * 8} bits; got ${material.length * 8} bits`,
        );
      }
      return Buffer.from(material);
    case 'rsa-private':
    case 'ec-private': {
      let key;
      try {
        key = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
      } catch {
        throw incorrect(`Key material for ${keySpec} must be a DER-encoded PKCS#8 private key`);
      }
      const details = key.asymmetricKeyDetails ?? {};
      if (rule.kind === 'rsa-private') {
        if (key.asymmetricKeyType !== 'rsa' || details.modulusLength !== rule.modulusBits) {
          throw incorrect(
            `Key material for ${keySpec} must be an RSA private key with a ${rule.modulusBits}-bit modulus`,
          );
        }
      } else if (key.asymmetricKeyType !== 'ec' || details.namedCurve !== rule.curve) {
        throw incorrect(
          `Key material for ${keySpec} must be an EC private key on curve ${rule.curve}`,
        );
      }
      return key.export({ format: 'der', type: 'pkcs8' });
    }
  }
}

/** Material KMS would generate itself for an AWS_KMS key: the same generator byok-offline uses. */
export function generateKeyMaterial(keySpec: KeySpec): Buffer {
  if (KEY_SPEC_RULES[keySpec].material === undefined) {
    throw new KmsError(
      'UnsupportedOperationException',
      `byok-kms-sim does not generate ${keySpec} keys`,
    );
  }
  return generateImportableKeyMaterial(keySpec);
}
