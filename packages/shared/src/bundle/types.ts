import type { KeySpec, KeyUsage, WrappingAlgorithm, WrappingKeySpec } from '../kms/rules.js';

export const IMPORT_REQUEST_FORMAT = 'byok-ceremony/import-request';
export const WRAPPED_KEYS_FORMAT = 'byok-ceremony/wrapped-keys';
/** The wrapped-key bundle's version. */
export const BUNDLE_VERSION = 1;
/**
 * Version 2 of the import request adds importType, keyMaterialId and expectedKcv per target;
 * version 3 carries each import token's SHA-256 instead of the token (the online side keeps the
 * tokens beside the request) and adds planDigest and ceremonyName.
 */
export const IMPORT_REQUEST_VERSION = 3;
/** Import request versions this release reads. */
export const IMPORT_REQUEST_VERSIONS = [1, 2, 3] as const;
export type ImportRequestVersion = (typeof IMPORT_REQUEST_VERSIONS)[number];

/** KMS's ImportType: new material (a first import or a rotation) or material KMS knows already. */
export const IMPORT_TYPES = ['NEW_KEY_MATERIAL', 'EXISTING_KEY_MATERIAL'] as const;
export type ImportType = (typeof IMPORT_TYPES)[number];

/** One KMS key (or multi-Region replica) to receive material, with the parameters KMS gave for it. */
export interface ImportTarget {
  readonly keyArn: string;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  /** Targets in one group receive the same material: the replicas of one multi-Region key. */
  readonly materialGroup: string;
  readonly wrappingAlgorithm: WrappingAlgorithm;
  readonly wrappingKeySpec: WrappingKeySpec;
  /** DER SubjectPublicKeyInfo, base64. */
  readonly publicKey: string;
  /** Versions 1 and 2 (absent in version 3): the opaque KMS import token, base64. */
  readonly importToken?: string;
  /**
   * Version 3 (required there, absent before): SHA-256 of the import token's bytes, 64 lowercase
   * hex, so the check code binds the token the online side kept.
   */
  readonly importTokenSha256?: string;
  /** RFC 3339 UTC; after it KMS answers ExpiredImportTokenException. */
  readonly parametersValidTo: string;
  /**
   * Version 2 (required there, absent in version 1): NEW_KEY_MATERIAL for a first import or a
   * rotation, EXISTING_KEY_MATERIAL for a re-import or a multi-Region replica.
   */
  readonly importType?: ImportType;
  /** Version 2: the KeyMaterialId an EXISTING_KEY_MATERIAL import names, or null. */
  readonly keyMaterialId?: string | null;
  /** Version 2: the KCV the re-imported material must have (from the original ceremony), or null. */
  readonly expectedKcv?: string | null;
}

/** Online → offline: what to wrap and for whom. */
export interface ImportRequestBundle {
  readonly format: typeof IMPORT_REQUEST_FORMAT;
  readonly version: ImportRequestVersion;
  readonly ceremonyId: string;
  readonly createdAt: string;
  readonly operators: readonly string[];
  /** Hash of the online audit log's last entry when the bundle was written, or null without a log. */
  readonly auditLogHead: string | null;
  /**
   * Version 3 (required there): SHA-256 of the ceremony plan a plan-driven prepare ran from,
   * 64 lowercase hex; null for a flag-driven prepare.
   */
  readonly planDigest?: string | null;
  /** Version 3 (required there): the plan's ceremony name (CEREMONY_NAME); null without a plan. */
  readonly ceremonyName?: string | null;
  readonly targets: readonly ImportTarget[];
}

export type MaterialSource = 'generated' | 'file' | 'components';

/** What lets the online side prove that KMS holds the material the offline side wrapped. */
export type MaterialProof =
  /** HMAC keys: the MAC of proofMessage(...) under the material; GenerateMac must match. */
  | { readonly kind: 'hmac'; readonly mac: string }
  /** Asymmetric keys: DER SubjectPublicKeyInfo of the private key; GetPublicKey must match. */
  | { readonly kind: 'public-key'; readonly publicKey: string }
  /** Symmetric keys: KMS ciphertexts cannot be reproduced outside KMS; the KCV identifies the material. */
  | { readonly kind: 'kcv-only' };

export interface MaterialRecord {
  readonly materialGroup: string;
  readonly keySpec: KeySpec;
  readonly source: MaterialSource;
  /** Key check value: six uppercase hex digits, see docs/bundle-format.md. */
  readonly kcv: string;
  readonly proof: MaterialProof;
}

export interface WrappedTarget {
  readonly keyArn: string;
  readonly materialGroup: string;
  /** SHA-256 of the DER public key the material was wrapped under, hex. */
  readonly wrappingKeyFingerprint: string;
  /** The blob for ImportKeyMaterial, base64. */
  readonly encryptedKeyMaterial: string;
}

/** Offline → online: the wrapped material for every target of one request. */
export interface WrappedKeyBundle {
  readonly format: typeof WRAPPED_KEYS_FORMAT;
  readonly version: typeof BUNDLE_VERSION;
  readonly ceremonyId: string;
  /** bundleDigest of the import request this answers, hex. */
  readonly requestDigest: string;
  readonly createdAt: string;
  readonly operators: readonly string[];
  readonly auditLogHead: string | null;
  readonly materials: readonly MaterialRecord[];
  readonly targets: readonly WrappedTarget[];
}

export type Bundle = ImportRequestBundle | WrappedKeyBundle;
