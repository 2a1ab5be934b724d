/**
 * What AWS KMS accepts for imported key material, as one table used by the online tool
 * (to refuse a key before asking for import parameters) and the offline tool (to refuse a
 * request before wrapping). The simulator keeps its own table, so a mistake here shows in tests.
 * Source: the KMS Developer Guide pages on importing key material; see docs/kms-rules.md.
 */

export const KEY_SPECS = [
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  'SM2',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
] as const;
export type KeySpec = (typeof KEY_SPECS)[number];

export const KEY_USAGES = [
  'ENCRYPT_DECRYPT',
  'SIGN_VERIFY',
  'GENERATE_VERIFY_MAC',
  'KEY_AGREEMENT',
] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

/** The live wrapping algorithms; RSAES_PKCS1_V1_5 is refused by KMS since 2023-10-10 and SM2PKE is China-only. */
export const WRAPPING_ALGORITHMS = [
  'RSAES_OAEP_SHA_256',
  'RSAES_OAEP_SHA_1',
  'RSA_AES_KEY_WRAP_SHA_256',
  'RSA_AES_KEY_WRAP_SHA_1',
] as const;
export type WrappingAlgorithm = (typeof WRAPPING_ALGORITHMS)[number];

export const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const;
export type WrappingKeySpec = (typeof WRAPPING_KEY_SPECS)[number];

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export type MaterialRule =
  | { readonly kind: 'symmetric'; readonly bytes: number }
  | {
      readonly kind: 'hmac';
      readonly minBytes: number;
      readonly maxBytes: number;
      readonly hash: HashName;
      readonly macAlgorithm: string;
    }
  | { readonly kind: 'rsa-private'; readonly modulusBits: number }
  | {
      readonly kind: 'ec-private';
      /** Curve name as node:crypto and OpenSSL spell it. */
      readonly curve: 'prime256v1' | 'secp384r1' | 'secp521r1' | 'secp256k1';
      /** Largest PKCS#8 encoding (with the optional public key) the tools produce or accept. */
      readonly maxPkcs8Bytes: number;
    };

export interface KeySpecRule {
  readonly keySpec: KeySpec;
  /** Usages KMS allows for the spec; the first is the default the tools pick. */
  readonly keyUsages: readonly KeyUsage[];
  /** Absent where KMS does not accept imported material for the spec. */
  readonly material?: MaterialRule;
  readonly wrappingAlgorithms: readonly WrappingAlgorithm[];
}

const OAEP: readonly WrappingAlgorithm[] = ['RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1'];
const AES_KEY_WRAP: readonly WrappingAlgorithm[] = [
  'RSA_AES_KEY_WRAP_SHA_256',
  'RSA_AES_KEY_WRAP_SHA_1',
];
const ALL_WRAPPING: readonly WrappingAlgorithm[] = [...OAEP, ...AES_KEY_WRAP];

const hmac = (bits: number, hash: HashName): MaterialRule => ({
  kind: 'hmac',
  minBytes: bits / 8,
  maxBytes: 128,
  hash,
  macAlgorithm: `HMAC_SHA_${bits}`,
});

export const KEY_SPEC_RULES: Readonly<Record<KeySpec, KeySpecRule>> = {
  SYMMETRIC_DEFAULT: {
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsages: ['ENCRYPT_DECRYPT'],
    material: { kind: 'symmetric', bytes: 32 },
    wrappingAlgorithms: OAEP,
  },
  HMAC_224: {
    keySpec: 'HMAC_224',
    keyUsages: ['GENERATE_VERIFY_MAC'],
    material: hmac(224, 'sha224'),
    wrappingAlgorithms: OAEP,
  },
  HMAC_256: {
    keySpec: 'HMAC_256',
    keyUsages: ['GENERATE_VERIFY_MAC'],
    material: hmac(256, 'sha256'),
    wrappingAlgorithms: OAEP,
  },
  HMAC_384: {
    keySpec: 'HMAC_384',
    keyUsages: ['GENERATE_VERIFY_MAC'],
    material: hmac(384, 'sha384'),
    wrappingAlgorithms: OAEP,
  },
  HMAC_512: {
    keySpec: 'HMAC_512',
    keyUsages: ['GENERATE_VERIFY_MAC'],
    material: hmac(512, 'sha512'),
    wrappingAlgorithms: OAEP,
  },
  RSA_2048: {
    keySpec: 'RSA_2048',
    keyUsages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
    material: { kind: 'rsa-private', modulusBits: 2048 },
    wrappingAlgorithms: AES_KEY_WRAP,
  },
  RSA_3072: {
    keySpec: 'RSA_3072',
    keyUsages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
    material: { kind: 'rsa-private', modulusBits: 3072 },
    wrappingAlgorithms: AES_KEY_WRAP,
  },
  RSA_4096: {
    keySpec: 'RSA_4096',
    keyUsages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
    material: { kind: 'rsa-private', modulusBits: 4096 },
    wrappingAlgorithms: AES_KEY_WRAP,
  },
  ECC_NIST_P256: {
    keySpec: 'ECC_NIST_P256',
    keyUsages: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
    material: { kind: 'ec-private', curve: 'prime256v1', maxPkcs8Bytes: 138 },
    wrappingAlgorithms: ALL_WRAPPING,
  },
  ECC_NIST_P384: {
    keySpec: 'ECC_NIST_P384',
    keyUsages: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
    material: { kind: 'ec-private', curve: 'secp384r1', maxPkcs8Bytes: 185 },
    wrappingAlgorithms: ALL_WRAPPING,
  },
  ECC_NIST_P521: {
    keySpec: 'ECC_NIST_P521',
    keyUsages: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
    material: { kind: 'ec-private', curve: 'secp521r1', maxPkcs8Bytes: 241 },
    wrappingAlgorithms: ALL_WRAPPING,
  },
  ECC_SECG_P256K1: {
    keySpec: 'ECC_SECG_P256K1',
    keyUsages: ['SIGN_VERIFY'],
    material: { kind: 'ec-private', curve: 'secp256k1', maxPkcs8Bytes: 135 },
    wrappingAlgorithms: ALL_WRAPPING,
  },
  ECC_NIST_EDWARDS25519: {
    keySpec: 'ECC_NIST_EDWARDS25519',
    keyUsages: ['SIGN_VERIFY'],
    wrappingAlgorithms: [],
  },
  SM2: {
    keySpec: 'SM2',
    keyUsages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'],
    wrappingAlgorithms: [],
  },
  ML_DSA_44: { keySpec: 'ML_DSA_44', keyUsages: ['SIGN_VERIFY'], wrappingAlgorithms: [] },
  ML_DSA_65: { keySpec: 'ML_DSA_65', keyUsages: ['SIGN_VERIFY'], wrappingAlgorithms: [] },
  ML_DSA_87: { keySpec: 'ML_DSA_87', keyUsages: ['SIGN_VERIFY'], wrappingAlgorithms: [] },
};

export const MODULUS_BYTES: Readonly<Record<WrappingKeySpec, number>> = {
  RSA_2048: 256,
  RSA_3072: 384,
  RSA_4096: 512,
};

export function isKeySpec(value: unknown): value is KeySpec {
  return typeof value === 'string' && (KEY_SPECS as readonly string[]).includes(value);
}
export function isKeyUsage(value: unknown): value is KeyUsage {
  return typeof value === 'string' && (KEY_USAGES as readonly string[]).includes(value);
}
export function isWrappingAlgorithm(value: unknown): value is WrappingAlgorithm {
  return typeof value === 'string' && (WRAPPING_ALGORITHMS as readonly string[]).includes(value);
}
export function isWrappingKeySpec(value: unknown): value is WrappingKeySpec {
  return typeof value === 'string' && (WRAPPING_KEY_SPECS as readonly string[]).includes(value);
}

export function isImportableKeySpec(keySpec: KeySpec): boolean {
  return KEY_SPEC_RULES[keySpec].material !== undefined;
}

export function hashOfWrappingAlgorithm(algorithm: WrappingAlgorithm): 'sha1' | 'sha256' {
  return algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
}

export function isAesKeyWrapAlgorithm(algorithm: WrappingAlgorithm): boolean {
  return algorithm.startsWith('RSA_AES_KEY_WRAP_');
}

/** The largest plaintext RSA-OAEP can carry: k - 2·hLen - 2 (RFC 8017, 7.1.1). */
export function oaepCapacity(wrappingKeySpec: WrappingKeySpec, hash: 'sha1' | 'sha256'): number {
  const hashBytes = hash === 'sha1' ? 20 : 32;
  return MODULUS_BYTES[wrappingKeySpec] - 2 * hashBytes - 2;
}

/** The largest material a key spec can have, which decides whether plain OAEP can carry it. */
export function maxMaterialBytes(material: MaterialRule): number {
  switch (material.kind) {
    case 'symmetric':
      return material.bytes;
    case 'hmac':
      return material.maxBytes;
    case 'rsa-private':
      return Number.POSITIVE_INFINITY;
    case 'ec-private':
      return material.maxPkcs8Bytes;
  }
}

export type CombinationVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** Whether KMS accepts material of this key spec wrapped this way. */
export function checkWrappingCombination(
  keySpec: KeySpec,
  algorithm: WrappingAlgorithm,
  wrappingKeySpec: WrappingKeySpec,
): CombinationVerdict {
  const rule = KEY_SPEC_RULES[keySpec];
  if (rule.material === undefined) {
    return { allowed: false, reason: `KMS does not accept imported key material for ${keySpec}` };
  }
  if (!rule.wrappingAlgorithms.includes(algorithm)) {
    return {
      allowed: false,
      reason: `${algorithm} cannot wrap ${keySpec} material; use ${rule.wrappingAlgorithms.join(' or ')}`,
    };
  }
  if (!isAesKeyWrapAlgorithm(algorithm)) {
    const capacity = oaepCapacity(wrappingKeySpec, hashOfWrappingAlgorithm(algorithm));
    if (maxMaterialBytes(rule.material) > capacity) {
      return {
        allowed: false,
        reason: `${algorithm} with ${wrappingKeySpec} carries at most ${capacity} bytes, too few for ${keySpec} material; use a larger wrapping key or RSA_AES_KEY_WRAP_SHA_256`,
      };
    }
  }
  return { allowed: true };
}

/** The algorithm the tools pick when the operator names none: OAEP where it can carry the material. */
export function defaultWrappingAlgorithm(
  keySpec: KeySpec,
  wrappingKeySpec: WrappingKeySpec,
): WrappingAlgorithm | undefined {
  for (const algorithm of ['RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_256'] as const) {
    if (checkWrappingCombination(keySpec, algorithm, wrappingKeySpec).allowed) return algorithm;
  }
  return undefined;
}

export const DEFAULT_WRAPPING_KEY_SPEC: WrappingKeySpec = 'RSA_4096';

/** How long a GetParametersForImport answer stays valid. */
export const IMPORT_PARAMETERS_LIFETIME_SECONDS = 24 * 60 * 60;
/** KMS refuses a ValidTo more than 365 days ahead. */
export const MAX_VALID_TO_SECONDS = 365 * 24 * 60 * 60;
