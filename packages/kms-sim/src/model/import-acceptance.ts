/**
 * What KMS accepts for imported key material, written here from the KMS Developer Guide
 * ("Supported key specs for imported key material", "Select a wrapping algorithm") and kept
 * apart from packages/shared's rules table on purpose: the simulator then checks the tools
 * instead of agreeing with them, and test/import-acceptance.test.ts compares the two.
 */

type Material =
  | { readonly kind: 'secret'; readonly minBytes: number; readonly maxBytes: number }
  | { readonly kind: 'rsa'; readonly modulusBits: number }
  | { readonly kind: 'ec'; readonly curve: string };

interface Acceptance {
  readonly material: Material;
  readonly usages: readonly string[];
  readonly algorithms: readonly string[];
}

const OAEP = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
const AES_KEY_WRAP = ['RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'];
// The guide: HMAC key material of the spec's length up to 1024 bits.
const hmac = (bits: number): Acceptance => ({
  material: { kind: 'secret', minBytes: bits / 8, maxBytes: 128 },
  usages: ['GENERATE_VERIFY_MAC'],
  algorithms: OAEP,
});
const rsa = (bits: number): Acceptance => ({
  material: { kind: 'rsa', modulusBits: bits },
  usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  algorithms: AES_KEY_WRAP,
});
const nist = (curve: string): Acceptance => ({
  material: { kind: 'ec', curve },
  usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  algorithms: [...OAEP, ...AES_KEY_WRAP],
});

export const IMPORT_ACCEPTANCE: Readonly<Record<string, Acceptance>> = {
  SYMMETRIC_DEFAULT: {
    material: { kind: 'secret', minBytes: 32, maxBytes: 32 },
    usages: ['ENCRYPT_DECRYPT'],
    algorithms: OAEP,
  },
  HMAC_224: hmac(224),
  HMAC_256: hmac(256),
  HMAC_384: hmac(384),
  HMAC_512: hmac(512),
  RSA_2048: rsa(2048),
  RSA_3072: rsa(3072),
  RSA_4096: rsa(4096),
  ECC_NIST_P256: nist('prime256v1'),
  ECC_NIST_P384: nist('secp384r1'),
  ECC_NIST_P521: nist('secp521r1'),
  ECC_SECG_P256K1: {
    material: { kind: 'ec', curve: 'secp256k1' },
    usages: ['SIGN_VERIFY'],
    algorithms: [...OAEP, ...AES_KEY_WRAP],
  },
};

/** Whether KMS offers this wrapping algorithm and wrapping key spec for the key spec's material. */
export function acceptsWrapping(
  keySpec: string,
  algorithm: string,
  wrappingKeySpec: string,
): boolean {
  const acceptance = IMPORT_ACCEPTANCE[keySpec];
  if (acceptance?.algorithms.includes(algorithm) !== true) return false;
  // The guide: RSAES_OAEP_SHA_* with an RSA_2048 wrapping key cannot carry ECC_NIST_P521 material.
  if (keySpec === 'ECC_NIST_P521' && OAEP.includes(algorithm) && wrappingKeySpec === 'RSA_2048')
    return false;
  return true;
}
