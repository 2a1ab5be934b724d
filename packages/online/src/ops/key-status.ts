import type { KeyDescription, KeyMaterialEntry, KmsPort } from '../kms/kms-port.js';

export interface KeyStatus {
  readonly description: KeyDescription;
  /** Null where KMS lists no key materials for the key spec (ListKeyRotations is for symmetric keys). */
  readonly keyMaterials: readonly KeyMaterialEntry[] | null;
}

/** DescribeKey, and for symmetric keys of origin EXTERNAL every key material with its state. */
export async function keyStatus(kms: KmsPort, keyId: string): Promise<KeyStatus> {
  const description = await kms.describeKey(keyId);
  const listable =
    description.keySpec === 'SYMMETRIC_DEFAULT' &&
    description.origin === 'EXTERNAL' &&
    description.keyState !== 'PendingDeletion';
  const keyMaterials = listable ? await kms.listKeyMaterials(description.arn) : null;
  return { description, keyMaterials };
}
