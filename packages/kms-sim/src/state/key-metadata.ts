import { algorithmsOf } from '../crypto/algorithms.js';
import { currentMaterial, keyStateOf } from './store.js';
import { SHAPES } from '../model/kms-model.js';
import type { KeyMetadata } from '../model/kms-types.js';
import type { KeyRecord } from './types.js';

type LegacyKeySpec = NonNullable<KeyMetadata['CustomerMasterKeySpec']>;

/** The deprecated CustomerMasterKeySpec, for the specs its enum has (not ML-DSA). */
export function customerMasterKeySpecOf(keySpec: string): LegacyKeySpec | undefined {
  const legacy = SHAPES.CustomerMasterKeySpec?.enum ?? [];
  return legacy.includes(keySpec) ? (keySpec as LegacyKeySpec) : undefined;
}

function regionOfArn(arn: string): string {
  return arn.split(':')[3] ?? '';
}

/** KeyMetadata as DescribeKey, CreateKey and ReplicateKey answer it. */
export function keyMetadataOf(key: KeyRecord, keys: ReadonlyMap<string, KeyRecord>): KeyMetadata {
  const state = keyStateOf(key);
  const current = currentMaterial(key);
  const metadata: KeyMetadata = {
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: key.creationDate,
    Enabled: state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: state,
    Origin: key.origin,
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: customerMasterKeySpecOf(key.keySpec),
    KeySpec: key.keySpec,
    ...algorithmsOf(key.keySpec, key.keyUsage),
    MultiRegion: key.multiRegion,
  };
  if (key.deletionDate !== undefined) {
    metadata.DeletionDate = key.deletionDate;
    metadata.PendingDeletionWindowInDays = key.pendingWindowInDays;
  }
  if (key.origin === 'EXTERNAL' && current?.material !== undefined) {
    metadata.ExpirationModel = current.expirationModel;
    if (current.validTo !== undefined) metadata.ValidTo = current.validTo;
  }
  // The service model: present for symmetric encryption keys (AWS_KMS or EXTERNAL origin) only.
  if (current !== undefined && key.keySpec === 'SYMMETRIC_DEFAULT') {
    metadata.CurrentKeyMaterialId = current.id;
  }
  if (key.multiRegion) {
    const primaryArn = key.multiRegionKeyType === 'PRIMARY' ? key.arn : key.primaryArn!;
    const primary = keys.get(primaryArn);
    const replicaArns = primary?.replicaArns ?? [];
    metadata.MultiRegionConfiguration = {
      MultiRegionKeyType: key.multiRegionKeyType,
      PrimaryKey: { Arn: primaryArn, Region: regionOfArn(primaryArn) },
      ReplicaKeys: replicaArns.map((arn) => ({ Arn: arn, Region: regionOfArn(arn) })),
    };
  }
  return metadata;
}
