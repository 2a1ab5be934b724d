import { ByokError } from '@byok-ceremony/shared';
import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import type { WaitOptions } from './wait-for-imported.js';
import { holdsImported } from './holds-imported.js';
import { isPendingRotation } from './pending-rotation.js';
import { pollKey } from './poll-key.js';

export interface Rotation {
  readonly keyArn: string;
  /** The material that was pending rotation and is now current. */
  readonly keyMaterialId: string;
  /** The replicas that took the same material as current. */
  readonly replicaArns: readonly string[];
}

/** The imported material of a key that waits in PENDING_ROTATION, or undefined. */
export async function pendingRotation(kms: KmsPort, keyArn: string): Promise<string | undefined> {
  const materials = await kms.listKeyMaterials(keyArn);
  return materials.find((m) => isPendingRotation(m) && m.importState === 'IMPORTED')?.keyMaterialId;
}

function waitForCurrent(
  kms: KmsPort,
  keyArn: string,
  keyMaterialId: string,
  wait: WaitOptions,
): Promise<KeyDescription> {
  return pollKey(
    kms,
    keyArn,
    wait,
    (d) => d.currentKeyMaterialId === keyMaterialId,
    (d, seconds) =>
      new ByokError(
        'ERR_TIMEOUT',
        `${keyArn}: CurrentKeyMaterialId is still ${d.currentKeyMaterialId ?? 'none'} ${seconds} s after RotateKeyOnDemand, not ${keyMaterialId}`,
        {
          hint: 'Check it with byok-online status --key-id KEY; the rotation may still be in progress.',
        },
      ),
  );
}

/**
 * RotateKeyOnDemand on a primary (or single-Region) key whose new imported material is pending
 * rotation, then waits until DescribeKey names that material current, on the key and every replica.
 */
export async function rotateImportedMaterial(
  kms: KmsPort,
  keyArn: string,
  wait: WaitOptions,
  /** The material the caller imported: any other pending material is refused. */
  expected?: string,
  /** Told what is about to rotate, just before RotateKeyOnDemand goes out, to put it on record. */
  beforeRotate: (planned: Rotation) => void = () => undefined,
): Promise<Rotation> {
  const described = await kms.describeKey(keyArn);
  if (described.multiRegionKeyType === 'REPLICA')
    throw new ByokError('ERR_USAGE', `${keyArn} is a multi-Region replica: rotate its primary`, {
      hint: `Give --key-id ${described.primaryKeyArn ?? 'PRIMARY_ARN'}; the replicas rotate with it.`,
    });
  const keyMaterialId = await pendingRotation(kms, described.arn);
  if (keyMaterialId === undefined)
    throw new ByokError(
      'ERR_KEY_NOT_ROTATABLE',
      `${described.arn} has no imported material pending rotation`,
      {
        hint: 'Import new material first: byok-online prepare --new-material, byok-offline wrap, byok-online import.',
      },
    );
  if (expected !== undefined && keyMaterialId !== expected)
    throw new ByokError(
      'ERR_KEY_NOT_ROTATABLE',
      `${described.arn}: ${keyMaterialId} is pending rotation, not ${expected}, the material imported`,
      {
        hint: "Nothing was rotated. See the key's materials with byok-online status --key-id KEY.",
      },
    );
  for (const replicaArn of described.replicaKeyArns) {
    if (!holdsImported(await kms.listKeyMaterials(replicaArn), keyMaterialId))
      throw new ByokError(
        'ERR_KEY_NOT_ROTATABLE',
        `replica ${replicaArn} has not imported material ${keyMaterialId}: KMS rotates only once every Region holds it`,
        {
          hint: 'Prepare with --with-replicas so every Region takes the material in one ceremony, then rotate.',
        },
      );
  }
  const rotation = { keyArn: described.arn, keyMaterialId, replicaArns: described.replicaKeyArns };
  beforeRotate(rotation);
  await kms.rotateKeyOnDemand(described.arn);
  await waitForCurrent(kms, described.arn, keyMaterialId, wait);
  for (const replicaArn of described.replicaKeyArns)
    await waitForCurrent(kms, replicaArn, keyMaterialId, wait);
  return rotation;
}
