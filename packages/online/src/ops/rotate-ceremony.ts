import type { AuditFacts } from '@byok-ceremony/node-io';
import { withKms, type OnlinePorts } from './ceremony-ports.js';
import { assertKeyInRegion } from './key-region.js';
import { regionRoutedKms } from './region-routed-kms.js';
import { rotateImportedMaterial, type Rotation } from './rotate-imported-material.js';
import type { WaitOptions } from './wait-for-imported.js';

/** `rotate`: RotateKeyOnDemand per key whose new imported material is pending, each on record. */
export async function rotateCeremony(
  input: { readonly keyIds: readonly string[] },
  ports: Pick<OnlinePorts, 'openKms'> & { readonly wait: WaitOptions },
  facts: AuditFacts,
): Promise<readonly Rotation[]> {
  return withKms(ports, async (home) => {
    for (const keyId of input.keyIds) assertKeyInRegion(keyId, home.region);
    const kms = regionRoutedKms(home, (region) => ports.openKms(region));
    const rotated: Rotation[] = [];
    try {
      for (const keyId of input.keyIds) {
        const rotation = await rotateImportedMaterial(kms, keyId, ports.wait);
        rotated.push(rotation);
        facts.keys.push({
          keyArn: rotation.keyArn,
          keyMaterialId: rotation.keyMaterialId,
          keyState: 'Enabled',
        });
        for (const replicaArn of rotation.replicaArns)
          facts.keys.push({
            keyArn: replicaArn,
            keyMaterialId: rotation.keyMaterialId,
            keyState: 'Enabled',
          });
      }
      return rotated;
    } finally {
      kms.close();
    }
  });
}
