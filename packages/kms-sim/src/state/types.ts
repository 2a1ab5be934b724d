import type { KeySpec, KeyUsage, WrappingAlgorithm, WrappingKeySpec } from '@byok-ceremony/shared';

export type Origin = 'AWS_KMS' | 'EXTERNAL';
export type KeyMaterialState =
  'CURRENT' | 'NON_CURRENT' | 'PENDING_ROTATION' | 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION';
export type ExpirationModel = 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';

/** One key material of a key; `material` is absent while it awaits (re-)import. */
export interface MaterialRecord {
  id: string;
  state: KeyMaterialState;
  /** Raw bytes for symmetric and HMAC keys, PKCS#8 DER for asymmetric keys. */
  material?: Buffer;
  expirationModel?: ExpirationModel;
  /** Epoch seconds. */
  validTo?: number;
  description?: string;
  /** Epoch seconds when it became current through a rotation. */
  rotationDate?: number;
  rotationType?: 'AUTOMATIC' | 'ON_DEMAND';
}

export interface Tag {
  TagKey: string;
  TagValue: string;
}

export interface KeyRecord {
  keyId: string;
  arn: string;
  region: string;
  account: string;
  creationDate: number;
  description: string;
  keySpec: KeySpec;
  keyUsage: KeyUsage;
  origin: Origin;
  /** The operator's Enable/Disable choice; the key state also depends on material and deletion. */
  enabled: boolean;
  deletionDate?: number;
  pendingWindowInDays?: number;
  multiRegion: boolean;
  multiRegionKeyType?: 'PRIMARY' | 'REPLICA';
  primaryArn?: string;
  replicaArns: string[];
  tags: Tag[];
  /** The key policy document as CreateKey or ReplicateKey took it; absent in older state files (the default). */
  policy?: string;
  materials: MaterialRecord[];
  /** Present while automatic rotation is enabled. */
  automaticRotation?: AutomaticRotation;
}

/** Automatic rotation: every `periodInDays`, counted from `since` (enable date or last automatic rotation). */
export interface AutomaticRotation {
  periodInDays: number;
  /** Epoch seconds. */
  since: number;
}

export interface AliasRecord {
  name: string;
  region: string;
  targetKeyId: string;
  creationDate: number;
  lastUpdatedDate: number;
}

/** The private half of a GetParametersForImport answer, kept until its token expires. */
export interface WrappingKeyRecord {
  tokenId: string;
  keyArn: string;
  wrappingKeySpec: WrappingKeySpec;
  wrappingAlgorithm: WrappingAlgorithm;
  privateKeyDer: Buffer;
  expiresAt: number;
}

export type KeyState =
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Updating';
