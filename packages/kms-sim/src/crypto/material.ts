import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { generateKeyMaterial as generateImportableKeyMaterial } from '@byok-ceremony/node-io/key-material';
import type { KeySpec } from '@byok-ceremony/shared';
import { KmsError, unsupported } from '../errors.js';
import { importAcceptanceOf } from '../model/import-acceptance.js';
import type { AcceptedMaterial } from '../model/import-acceptance.js';
import { derOid, pkcs8AlgorithmIdentifier } from './pkcs8.js';

function incorrect(message: string): KmsError {
  return new KmsError('IncorrectKeyMaterialException', message);
}

// RFC 5480, section 2.1.1: id-ecPublicKey, the algorithm of every named-curve EC private key.
const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';

function checkSecret(
  keySpec: string,
  rule: Extract<AcceptedMaterial, { kind: 'secret' }>,
  bytes: number,
) {
  if (bytes >= rule.minBytes && bytes <= rule.maxBytes) return;
  const wanted =
    rule.minBytes === rule.maxBytes
      ? `${rule.minBytes * 8} bits`
      : `between ${rule.minBytes * 8} and ${rule.maxBytes * 8} bits`;
  throw incorrect(`Key material for ${keySpec} must be ${wanted}; got ${bytes * 8} bits`);
}

function checkPrivateKey(
  keySpec: string,
  rule: Exclude<AcceptedMaterial, { kind: 'secret' }>,
  key: KeyObject,
  der: Buffer,
) {
  const details = key.asymmetricKeyDetails ?? {};
  if (rule.kind === 'rsa') {
    if (key.asymmetricKeyType !== 'rsa' || details.modulusLength !== rule.modulusBits) {
      throw incorrect(
        `Key material for ${keySpec} must be an RSA private key with a ${rule.modulusBits}-bit modulus`,
      );
    }
    return;
  }
  // The named curve as node:crypto reports it and as the key's AlgorithmIdentifier encodes it.
  const expected = Buffer.concat([derOid(EC_PUBLIC_KEY_OID), derOid(rule.curveOid)]);
  if (
    key.asymmetricKeyType !== 'ec' ||
    details.namedCurve !== rule.curve ||
    !pkcs8AlgorithmIdentifier(der)?.equals(expected)
  ) {
    throw incorrect(`Key material for ${keySpec} must be an EC private key on curve ${rule.curve}`);
  }
}

/**
 * Checks unwrapped material against the simulator's own acceptance table
 * (src/model/import-acceptance.ts, not the tools' rules) and returns it in canonical form (raw
 * bytes, or PKCS#8 DER as node:crypto re-encodes it, so that the same private key always has
 * the same KeyMaterialId). Wrong size or type answers IncorrectKeyMaterialException: the model
 * documents it for material that is "invalid, or does not meet expectations".
 */
export function checkKeyMaterial(keySpec: KeySpec, material: Buffer): Buffer {
  const rule = importAcceptanceOf(keySpec)?.material;
  if (rule === undefined) throw incorrect(`${keySpec} keys do not accept imported key material`);
  if (rule.kind === 'secret') {
    checkSecret(keySpec, rule, material.length);
    return Buffer.from(material);
  }
  let key;
  try {
    key = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
  } catch {
    throw incorrect(`Key material for ${keySpec} must be a DER-encoded PKCS#8 private key`);
  }
  const der = key.export({ format: 'der', type: 'pkcs8' });
  try {
    checkPrivateKey(keySpec, rule, key, der);
  } catch (error) {
    der.fill(0);
    throw error;
  }
  return der;
}

/**
 * Material KMS would generate itself for an AWS_KMS key: the same generator byok-offline uses,
 * held to the simulator's own table like imported material.
 */
export function generateKeyMaterial(keySpec: KeySpec): Buffer {
  if (importAcceptanceOf(keySpec) === undefined) {
    throw unsupported(`byok-kms-sim does not generate ${keySpec} keys`);
  }
  const generated = generateImportableKeyMaterial(keySpec);
  try {
    return checkKeyMaterial(keySpec, generated);
  } finally {
    generated.fill(0);
  }
}
