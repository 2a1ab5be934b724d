import { FactsBuilder, type Ceremony } from '@byok-ceremony/node-io';
import { withKms, type OnlinePorts } from './ceremony-ports.js';
import { assertKeyInRegion } from './key-region.js';

export interface DeletedMaterial {
  readonly keyArn: string;
  readonly keyMaterialId: string | undefined;
  readonly keyState: string;
}

/**
 * `delete-material`: DeleteImportedKeyMaterial (one material, or the current one). The entry names
 * the key before KMS is asked, so the record shows the attempt even if the answer is lost.
 */
export async function deleteMaterialCeremony(
  input: { readonly keyId: string; readonly keyMaterialId: string | undefined },
  ports: Pick<OnlinePorts, 'openKms'>,
): Promise<Ceremony<DeletedMaterial>> {
  const facts = new FactsBuilder();
  return facts.run(() =>
    withKms(ports, async (kms) => {
      assertKeyInRegion(input.keyId, kms.region);
      const before = await kms.describeKey(input.keyId);
      facts.add({
        keys: [
          {
            keyArn: before.arn,
            keySpec: before.keySpec,
            ...(input.keyMaterialId === undefined ? {} : { keyMaterialId: input.keyMaterialId }),
          },
        ],
      });
      const deleted = await kms.deleteImportedKeyMaterial(before.arn, input.keyMaterialId);
      const after = await kms.describeKey(before.arn);
      facts.add({
        keys: [
          {
            keyArn: before.arn,
            keySpec: before.keySpec,
            ...(deleted.keyMaterialId === undefined
              ? {}
              : { keyMaterialId: deleted.keyMaterialId }),
            keyState: after.keyState,
          },
        ],
      });
      return { keyArn: before.arn, keyMaterialId: deleted.keyMaterialId, keyState: after.keyState };
    }),
  );
}
