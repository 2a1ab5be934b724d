import { FactsBuilder, type Ceremony } from '@byok-ceremony/node-io';
import { ByokError, rotationLabel, type ImportRequestBundle } from '@byok-ceremony/shared';
import type { KmsPort } from '../kms/kms-port.js';
import type { ImportedKey } from './import-wrapped-keys.js';
import {
  pendingRotation,
  rotateImportedMaterial,
  type Rotation,
} from './rotate-imported-material.js';
import type { WaitOptions } from './wait-for-imported.js';

export interface RotationOutcome {
  readonly rotated: readonly Rotation[];
  /** Keys whose new material is imported and pending rotation, left for byok-online rotate. */
  readonly pending: readonly { readonly keyArn: string; readonly keyMaterialId: string }[];
}

/** The material this request imported is not the one KMS would rotate to: nothing is rotated. */
function notOurs(keyArn: string, ours: string | null, found: string): ByokError {
  return new ByokError(
    'ERR_KEY_NOT_ROTATABLE',
    `${keyArn}: the material this request imported (${ours ?? 'unknown'}) is neither pending rotation nor current: ${found}`,
    {
      hint: "Nothing was rotated. See the key's materials with byok-online status --key-id KEY; the material may have been deleted or replaced since it was imported.",
    },
  );
}

/**
 * After every target of a request is imported: the keys that took NEW_KEY_MATERIAL (primaries
 * and single-Region keys, the replicas rotate with them) rotate now with `--rotate`, last, as KMS
 * requires; otherwise they are reported as pending. Each rotation goes on record as it happens.
 */
export async function rotateAfterImport(
  kms: KmsPort,
  request: ImportRequestBundle,
  rotate: boolean,
  wait: WaitOptions,
  imported: readonly ImportedKey[],
): Promise<Ceremony<RotationOutcome>> {
  const facts = new FactsBuilder();
  return facts.run(async () => {
    const current = new Set(imported.filter((k) => k.current).map((k) => k.keyArn));
    const rotated: Rotation[] = [];
    const pending: { keyArn: string; keyMaterialId: string }[] = [];
    for (const target of request.targets) {
      if (target.importType !== 'NEW_KEY_MATERIAL' || target.keySpec !== 'SYMMETRIC_DEFAULT')
        continue;
      if (current.has(target.keyArn)) continue; // a first import: its material is current
      const ours = imported.find((k) => k.keyArn === target.keyArn)?.keyMaterialId ?? null;
      const keyMaterialId = await pendingRotation(kms, target.keyArn);
      if (keyMaterialId === undefined) {
        // Rotated already, by a run that stopped before its audit entry (import --resume): on record now.
        const described = await kms.describeKey(target.keyArn);
        if (ours === null || described.currentKeyMaterialId !== ours)
          throw notOurs(
            target.keyArn,
            ours,
            `none is pending rotation, and ${described.currentKeyMaterialId ?? 'none'} is current`,
          );
        facts.add({ outputs: { [rotationLabel(target.keyArn)]: ours } });
        rotated.push({
          keyArn: target.keyArn,
          keyMaterialId: ours,
          replicaArns: described.replicaKeyArns,
        });
        continue;
      }
      if (ours !== null && keyMaterialId !== ours)
        throw notOurs(target.keyArn, ours, `${keyMaterialId} is pending rotation instead`);
      if (!rotate) {
        pending.push({ keyArn: target.keyArn, keyMaterialId });
        continue;
      }
      const rotation = await rotateImportedMaterial(kms, target.keyArn, wait, keyMaterialId);
      facts.add({ outputs: { [rotationLabel(rotation.keyArn)]: rotation.keyMaterialId } });
      rotated.push(rotation);
    }
    return { rotated, pending };
  });
}
