import {
  bundleDigest,
  type AuditKeyRecord,
  type ImportRequestBundle,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import type { KmsPort } from '../kms/kms-port.js';
import type { Expiration } from './resolve-expiration.js';
import { proveMaterial, type ProofKind } from './prove-material.js';
import { waitForImported, type WaitOptions } from './wait-for-imported.js';

export interface ImportedKey {
  readonly keyArn: string;
  readonly keyState: string;
  readonly keyMaterialId: string | null;
  readonly kcv: string;
  readonly proof: ProofKind;
  readonly proven: boolean;
}

/** Filled as keys are imported, so a failure part-way still reports (and logs) what happened. */
export interface ImportJournal {
  readonly imported: ImportedKey[];
  readonly auditKeys: AuditKeyRecord[];
}

/**
 * Imports every target of a checked request/wrapped pair in order, waits until KMS holds the
 * material, and proves it. Stops at the first failure; running it again is safe because KMS
 * accepts a re-import of the same material.
 */
export async function importWrappedKeys(
  kms: KmsPort,
  request: ImportRequestBundle,
  wrapped: WrappedKeyBundle,
  expiration: Expiration,
  wait: WaitOptions,
  journal: ImportJournal,
): Promise<void> {
  const requestDigest = bundleDigest(request);
  for (const [i, target] of request.targets.entries()) {
    const answer = wrapped.targets[i]!;
    const material = wrapped.materials.find((m) => m.materialGroup === target.materialGroup)!;
    // Both bundles were validated as strict base64 before they reached this operation.
    const importToken = Buffer.from(target.importToken, 'base64');
    const encryptedKeyMaterial = Buffer.from(answer.encryptedKeyMaterial, 'base64');
    const keyRecord: AuditKeyRecord = {
      keyArn: target.keyArn,
      keySpec: target.keySpec,
      materialGroup: target.materialGroup,
      wrappingKeyFingerprint: answer.wrappingKeyFingerprint,
      kcv: material.kcv,
    };
    const result = await kms.importKeyMaterial({
      keyId: target.keyArn,
      importToken,
      encryptedKeyMaterial,
      expirationModel: expiration.expirationModel,
      validTo: expiration.validTo,
    });
    const described = await waitForImported(kms, target.keyArn, wait);
    const keyMaterialId = result.keyMaterialId ?? described.currentKeyMaterialId ?? null;
    const imported = {
      ...keyRecord,
      keyState: described.keyState,
      ...(keyMaterialId === null ? {} : { keyMaterialId }),
    };
    journal.auditKeys.push(imported);
    const { proof, proven } = await proveMaterial(kms, target, material, requestDigest).catch(
      (error: unknown) => {
        journal.auditKeys[journal.auditKeys.length - 1] = {
          ...imported,
          proof: material.proof.kind,
        };
        throw error;
      },
    );
    journal.auditKeys[journal.auditKeys.length - 1] = { ...imported, proof };
    journal.imported.push({
      keyArn: target.keyArn,
      keyState: described.keyState,
      keyMaterialId,
      kcv: material.kcv,
      proof,
      proven,
    });
  }
}
