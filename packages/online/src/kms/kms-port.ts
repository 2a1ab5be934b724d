import type {
  ImportType,
  KeySpec,
  KeyUsage,
  WrappingAlgorithm,
  WrappingKeySpec,
} from '@byok-ceremony/shared';

/** What DescribeKey says about a key, in the terms the ceremony needs. */
export interface KeyDescription {
  readonly keyId: string;
  readonly arn: string;
  readonly keyState: string;
  readonly origin: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly description: string | undefined;
  readonly expirationModel: string | undefined;
  readonly validTo: Date | undefined;
  readonly currentKeyMaterialId: string | undefined;
  readonly multiRegion: boolean;
  /** PRIMARY or REPLICA for multi-Region keys. */
  readonly multiRegionKeyType: string | undefined;
  readonly primaryKeyArn: string | undefined;
  readonly replicaKeyArns: readonly string[];
}

export interface KmsTag {
  readonly key: string;
  readonly value: string;
}

export interface KmsAlias {
  /** `alias/…`. */
  readonly aliasName: string;
  /** The key id (not ARN) it points to; KMS leaves it out for an alias of no key. */
  readonly targetKeyId: string | undefined;
  /** Its ARN, which names the account KMS answers for. */
  readonly aliasArn: string | undefined;
}

export interface ImportParameters {
  readonly keyArn: string;
  /** DER SubjectPublicKeyInfo of the wrapping key. */
  readonly publicKey: Uint8Array;
  readonly importToken: Uint8Array;
  readonly parametersValidTo: Date;
}

export type ExpirationModel = 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';

export interface KeyMaterialEntry {
  readonly keyMaterialId: string | undefined;
  readonly keyMaterialState: string | undefined;
  readonly importState: string | undefined;
  readonly expirationModel: string | undefined;
  readonly validTo: Date | undefined;
  readonly rotationDate: Date | undefined;
  /** AUTOMATIC or ON_DEMAND for materials that became current through a rotation. */
  readonly rotationType: string | undefined;
  /** The KeyMaterialDescription the import set, if any. */
  readonly description: string | undefined;
}

/**
 * The KMS operations the ceremony uses, in the ceremony's own types, so ops never see the SDK.
 * Failures are ByokError('ERR_KMS') naming the operation and the key.
 */
export interface KmsPort {
  /** The Region the client resolved and sends every call to. */
  readonly region: string;
  createKey(input: {
    readonly keySpec: KeySpec;
    readonly keyUsage: KeyUsage;
    readonly description: string | undefined;
    readonly multiRegion: boolean;
    readonly tags: readonly KmsTag[];
    /** The key policy document, sent as given; KMS's default policy when undefined. */
    readonly policy?: string | undefined;
  }): Promise<KeyDescription>;
  createAlias(aliasName: string, targetKeyId: string): Promise<void>;
  /** ReplicateKey: the replica as KMS first describes it (KMS may still be creating it). */
  replicateKey(
    primaryKeyArn: string,
    replicaRegion: string,
    input: {
      readonly description: string | undefined;
      readonly tags: readonly KmsTag[];
      readonly policy: string | undefined;
    },
  ): Promise<KeyDescription>;
  /** ListAliases: every alias of the Region with the key id it points to, all pages. */
  listAliases(): Promise<readonly KmsAlias[]>;
  /** ListResourceTags: every tag of the key, all pages. */
  listResourceTags(keyId: string): Promise<readonly KmsTag[]>;
  /** GetKeyPolicy: the key's (only, `default`) policy document. */
  getKeyPolicy(keyId: string): Promise<string>;
  describeKey(keyId: string): Promise<KeyDescription>;
  getParametersForImport(
    keyId: string,
    wrappingAlgorithm: WrappingAlgorithm,
    wrappingKeySpec: WrappingKeySpec,
  ): Promise<ImportParameters>;
  importKeyMaterial(input: {
    readonly keyId: string;
    readonly importToken: Uint8Array;
    readonly encryptedKeyMaterial: Uint8Array;
    readonly expirationModel: ExpirationModel;
    readonly validTo: Date | undefined;
    /** Sent only when given: KMS takes it for symmetric encryption keys only. */
    readonly importType?: ImportType;
    /** Only with EXISTING_KEY_MATERIAL: KMS refuses material that is not this one. */
    readonly keyMaterialId?: string;
    /** Symmetric encryption keys only: 0–256 characters of [a-zA-Z0-9:/_\s.-]. */
    readonly keyMaterialDescription?: string;
  }): Promise<{ readonly keyId: string; readonly keyMaterialId: string | undefined }>;
  /** RotateKeyOnDemand: makes the material pending rotation current. */
  rotateKeyOnDemand(keyId: string): Promise<void>;
  /** DeleteImportedKeyMaterial; returns the KeyMaterialId KMS deleted, when it says. */
  deleteImportedKeyMaterial(
    keyId: string,
    keyMaterialId: string | undefined,
  ): Promise<{ readonly keyMaterialId: string | undefined }>;
  /** ListKeys: every key id and ARN in the Region, all pages. */
  listKeys(): Promise<readonly { readonly keyId: string; readonly arn: string }[]>;
  generateMac(keyId: string, message: Uint8Array, macAlgorithm: string): Promise<Uint8Array>;
  getPublicKey(keyId: string): Promise<Uint8Array>;
  listKeyMaterials(keyId: string): Promise<readonly KeyMaterialEntry[]>;
  /** Releases the connections so the process can exit. */
  close(): void;
}
