import { FactsBuilder, type Ceremony } from '@byok-ceremony/node-io';
import type { AuditKeyRecord } from '@byok-ceremony/shared';
import { withKms, type OnlinePorts } from './ceremony-ports.js';
import { assertKeyInRegion } from './key-region.js';
import { regionRoutedKms } from './region-routed-kms.js';
import { rotateImportedMaterial, type Rotation } from './rotate-imported-material.js';
import type { WaitOptions } from './wait-for-imported.js';

/** `rotate`: RotateKeyOnDemand per key whose new imported material is pending, each on record. */
export async function rotateCeremony(
  input: { readonly keyIds: readonly string[] },
  ports: Pick<OnlinePorts, 'openKms'> & { readonly wait: WaitOptions },
): Promise<Ceremony<readonly Rotation[]>> {
  const facts = new FactsBuilder();
  return facts.run(() =>
    withKms(ports, async (home) => {
      for (const keyId of input.keyIds) assertKeyInRegion(keyId, home.region);
      const kms = regionRoutedKms(home, (region) => ports.openKms(region));
      const rotated: Rotation[] = [];
      const keys: AuditKeyRecord[] = [];
      const onRecord = (): void => {
        facts.add({ keys: [...keys] });
      };
      try {
        for (const keyId of input.keyIds) {
          const start = keys.length;
          const arnsOf = (r: Rotation) => [r.keyArn, ...r.replicaArns];
          // On record before RotateKeyOnDemand: if its answer is lost, the entry still names the
          // key and the material that may have become current.
          const rotation = await rotateImportedMaterial(
            kms,
            keyId,
            ports.wait,
            undefined,
            (planned) => {
              for (const keyArn of arnsOf(planned))
                keys.push({ keyArn, keyMaterialId: planned.keyMaterialId });
              onRecord();
            },
          );
          rotated.push(rotation);
          keys.splice(
            start,
            keys.length - start,
            ...arnsOf(rotation).map((keyArn) => ({
              keyArn,
              keyMaterialId: rotation.keyMaterialId,
              keyState: 'Enabled',
            })),
          );
          onRecord();
        }
        return rotated;
      } finally {
        kms.close();
      }
    }),
  );
}
