import {
  ByokError,
  bundleDigest,
  type AuditKeyRecord,
  type ImportRequestBundle,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import { interruptedError } from '@byok-ceremony/node-io';
import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import type { Expiration } from './resolve-expiration.js';
import { importTypeParameters } from './import-type-parameters.js';
import { proveMaterial, type ProofKind } from './prove-material.js';
import { waitForImported, type WaitOptions } from './wait-for-imported.js';

export interface ImportedKey {
  readonly keyArn: string;
  readonly keyState: string;
  readonly keyMaterialId: string | null;
  readonly kcv: string;
  readonly proof: ProofKind;
  readonly proven: boolean;
  /** The key already held this material (an earlier, interrupted run): not imported again. */
  readonly alreadyHeld: boolean;
}

/** Filled as keys are imported, so a failure part-way still reports (and logs) what happened. */
export interface ImportJournal {
  readonly imported: ImportedKey[];
  readonly auditKeys: AuditKeyRecord[];
}

export interface ImportRun {
  /** Checked between keys: once aborted, no further key is started. */
  readonly signal: AbortSignal;
  /** Key ARN → KeyMaterialId this machine's log records as imported from this same request. */
  readonly onRecord: ReadonlyMap<string, string>;
}

/**
 * Whether an Enabled key already holds this material, so a re-run after an interruption does
 * exactly the rest: HMAC and asymmetric keys by their proof, symmetric keys by the
 * KeyMaterialId this log recorded for them.
 */
async function alreadyHolds(
  kms: KmsPort,
  target: ImportRequestBundle['targets'][number],
  material: WrappedKeyBundle['materials'][number],
  requestDigest: string,
  run: ImportRun,
): Promise<{ described: KeyDescription; proof: ProofKind; proven: boolean } | undefined> {
  const described = await kms.describeKey(target.keyArn);
  if (described.keyState !== 'Enabled') return undefined;
  if (material.proof.kind === 'kcv-only') {
    const recorded = run.onRecord.get(target.keyArn);
    if (recorded === undefined) return undefined;
    // New material of a rotation stays pending until RotateKeyOnDemand: imported all the same.
    const held =
      described.currentKeyMaterialId === recorded ||
      (target.importType === 'NEW_KEY_MATERIAL' &&
        (await kms.listKeyMaterials(target.keyArn)).some(
          (m) => m.keyMaterialId === recorded && m.importState === 'IMPORTED',
        ));
    return held ? { described, proof: 'kcv-only', proven: false } : undefined;
  }
  try {
    return { described, ...(await proveMaterial(kms, target, material, requestDigest)) };
  } catch (error) {
    if (error instanceof ByokError && error.code === 'ERR_PROOF_FAILED') return undefined;
    throw error;
  }
}

/**
 * Imports every target of a checked request/wrapped pair in order, waits until KMS holds the
 * material, and proves it. Stops at the first failure, or between keys once the run's signal is
 * aborted; running it again is safe and skips the keys already holding the material.
 */
export async function importWrappedKeys(
  kms: KmsPort,
  request: ImportRequestBundle,
  wrapped: WrappedKeyBundle,
  expiration: Expiration,
  wait: WaitOptions,
  journal: ImportJournal,
  run: ImportRun,
): Promise<void> {
  const requestDigest = bundleDigest(request);
  for (const [i, target] of request.targets.entries()) {
    if (run.signal.aborted)
      throw interruptedError(
        `after ${journal.auditKeys.length} of ${request.targets.length} key(s)`,
      );
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
    const held = await alreadyHolds(kms, target, material, requestDigest, run);
    if (held !== undefined) {
      const keyMaterialId = held.described.currentKeyMaterialId ?? run.onRecord.get(target.keyArn);
      journal.auditKeys.push({
        ...keyRecord,
        keyState: held.described.keyState,
        ...(keyMaterialId === undefined ? {} : { keyMaterialId }),
        proof: held.proof,
      });
      journal.imported.push({
        keyArn: target.keyArn,
        keyState: held.described.keyState,
        keyMaterialId: keyMaterialId ?? null,
        kcv: material.kcv,
        proof: held.proof,
        proven: held.proven,
        alreadyHeld: true,
      });
      continue;
    }
    const result = await kms.importKeyMaterial({
      keyId: target.keyArn,
      importToken,
      encryptedKeyMaterial,
      expirationModel: expiration.expirationModel,
      validTo: expiration.validTo,
      ...importTypeParameters(target),
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
      alreadyHeld: false,
    });
  }
}
