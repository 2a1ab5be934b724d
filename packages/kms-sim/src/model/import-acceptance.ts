/**
 * What KMS accepts for imported key material, written here from the KMS Developer Guide
 * ("Supported key specs for imported key material", "Select a wrapping algorithm") and the API
 * Reference (CreateKey's KeyUsage, GetParametersForImport's WrappingAlgorithm), and kept apart
 * from packages/shared's rules table on purpose: the simulator then checks the tools instead of
 * agreeing with them. test/import-acceptance.test.ts compares the two field by field.
 */
import type { CreateKeyRequest, GetParametersForImportRequest } from './kms-types.js';

/** Names as the service model spells them, so that nothing here comes from the tools' lists. */
export type ModelKeySpec = NonNullable<CreateKeyRequest['KeySpec']>;
export type ModelKeyUsage = NonNullable<CreateKeyRequest['KeyUsage']>;
export type ModelWrappingAlgorithm = GetParametersForImportRequest['WrappingAlgorithm'];
export type ModelWrappingKeySpec = GetParametersForImportRequest['WrappingKeySpec'];

export type AcceptedMaterial =
  /** Raw bytes: symmetric and HMAC keys. */
  | { readonly kind: 'secret'; readonly minBytes: number; readonly maxBytes: number }
  /** A PKCS#8 DER RSA private key with exactly this modulus size. */
  | { readonly kind: 'rsa'; readonly modulusBits: number }
  /** A PKCS#8 DER EC private key on this named curve (node:crypto's name and the curve's OID). */
  | { readonly kind: 'ec'; readonly curve: string; readonly curveOid: string };

export interface ImportAcceptance {
  readonly material: AcceptedMaterial;
  /** Usages CreateKey allows for the key spec (with Origin EXTERNAL as with AWS_KMS). */
  readonly usages: readonly ModelKeyUsage[];
  /** Wrapping algorithms GetParametersForImport offers for the key spec's material. */
  readonly algorithms: readonly ModelWrappingAlgorithm[];
  /** Wrapping key specs too small for plain RSAES_OAEP_* to carry the material. */
  readonly oaepRefusedWith?: readonly ModelWrappingKeySpec[];
}

const OAEP: readonly ModelWrappingAlgorithm[] = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
const AES_KEY_WRAP: readonly ModelWrappingAlgorithm[] = [
  'RSA_AES_KEY_WRAP_SHA_1',
  'RSA_AES_KEY_WRAP_SHA_256',
];

// The guide: symmetric encryption key material is 256 bits (32 bytes); OAEP only (the API
// Reference offers RSA_AES_KEY_WRAP_* "for wrapping RSA and ECC key material").
const SYMMETRIC: ImportAcceptance = {
  material: { kind: 'secret', minBytes: 32, maxBytes: 32 },
  usages: ['ENCRYPT_DECRYPT'],
  algorithms: OAEP,
};

// The guide: HMAC key material at least the spec's length, up to 1024 bits (128 bytes).
const hmac = (bits: number): ImportAcceptance => ({
  material: { kind: 'secret', minBytes: bits / 8, maxBytes: 128 },
  usages: ['GENERATE_VERIFY_MAC'],
  algorithms: OAEP,
});

// The API Reference: "To import an RSA private key, you must use an RSA_AES wrapping algorithm."
const rsa = (modulusBits: number): ImportAcceptance => ({
  material: { kind: 'rsa', modulusBits },
  usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  algorithms: AES_KEY_WRAP,
});

// CreateKey's KeyUsage: NIST curves take SIGN_VERIFY or KEY_AGREEMENT, ECC_SECG_P256K1 only SIGN_VERIFY.
const ec = (curve: string, curveOid: string, usages: readonly ModelKeyUsage[]): ImportAcceptance => ({
  material: { kind: 'ec', curve, curveOid },
  usages,
  algorithms: [...OAEP, ...AES_KEY_WRAP],
});
const NIST_USAGES: readonly ModelKeyUsage[] = ['SIGN_VERIFY', 'KEY_AGREEMENT'];

/** Key specs KMS takes imported material for; any other (ML-DSA, Ed25519, SM2 outside China) it refuses. */
export const IMPORT_ACCEPTANCE: Readonly<Partial<Record<ModelKeySpec, ImportAcceptance>>> = {
  SYMMETRIC_DEFAULT: SYMMETRIC,
  HMAC_224: hmac(224),
  HMAC_256: hmac(256),
  HMAC_384: hmac(384),
  HMAC_512: hmac(512),
  RSA_2048: rsa(2048),
  RSA_3072: rsa(3072),
  RSA_4096: rsa(4096),
  // Curve OIDs: RFC 5480, section 2.1.1.1 (secp256r1, secp384r1, secp521r1).
  ECC_NIST_P256: ec('prime256v1', '1.2.840.10045.3.1.7', NIST_USAGES),
  ECC_NIST_P384: ec('secp384r1', '1.3.132.0.34', NIST_USAGES),
  // The API Reference: no RSAES_OAEP_* with an RSA_2048 wrapping key for ECC_NIST_P521 material.
  ECC_NIST_P521: { ...ec('secp521r1', '1.3.132.0.35', NIST_USAGES), oaepRefusedWith: ['RSA_2048'] },
  // Curve OID: SEC 2 (version 2), appendix A.2.1 (secp256k1).
  ECC_SECG_P256K1: ec('secp256k1', '1.3.132.0.10', ['SIGN_VERIFY']),
};

/** The acceptance for a key spec, or undefined where KMS takes no imported material. */
export function importAcceptanceOf(keySpec: string): ImportAcceptance | undefined {
  return Object.hasOwn(IMPORT_ACCEPTANCE, keySpec)
    ? IMPORT_ACCEPTANCE[keySpec as ModelKeySpec]
    : undefined;
}

/** Whether KMS offers this wrapping algorithm and wrapping key spec for the key spec's material. */
export function acceptsWrapping(
  keySpec: string,
  algorithm: string,
  wrappingKeySpec: string,
): boolean {
  const acceptance = importAcceptanceOf(keySpec);
  if (acceptance === undefined) return false;
  if (!(acceptance.algorithms as readonly string[]).includes(algorithm)) return false;
  const refusedWith = (acceptance.oaepRefusedWith ?? []) as readonly string[];
  return !((OAEP as readonly string[]).includes(algorithm) && refusedWith.includes(wrappingKeySpec));
}
