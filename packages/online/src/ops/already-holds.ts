import { ByokError, type ImportTarget, type WrappedKeyBundle } from '@byok-ceremony/shared';
import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import { claimedMaterialProblem } from './claimed-material-problem.js';
import type { HeldAtPrepare } from './held-at-prepare.js';
import { holdsImported } from './holds-imported.js';
import type { KeyDone } from './import-journal.js';
import { isPendingRotation } from './pending-rotation.js';
import { proveMaterial, type ProofKind } from './prove-material.js';

type WrappedMaterial = WrappedKeyBundle['materials'][number];

/** The proof, or undefined when it fails: the key does not hold this material. */
async function proofOrUndefined(
  kms: KmsPort,
  target: ImportTarget,
  material: WrappedMaterial,
  requestDigest: string,
): Promise<{ proof: ProofKind; proven: boolean } | undefined> {
  try {
    return await proveMaterial(kms, target, material, requestDigest);
  } catch (error) {
    if (error instanceof ByokError && error.code === 'ERR_PROOF_FAILED') return undefined;
    throw error;
  }
}

/**
 * New material of a rotation stays pending until RotateKeyOnDemand, so it is held when the
 * material this log recorded is imported; any other material pending rotation is refused before
 * sending, as KMS allows one and an import of unknown outcome is later judged by it (importLanded).
 */
async function newMaterialHeld(
  kms: KmsPort,
  keyArn: string,
  recorded: string | undefined,
): Promise<{ proof: ProofKind; proven: boolean } | undefined> {
  const materials = await kms.listKeyMaterials(keyArn);
  if (holdsImported(materials, recorded)) return { proof: 'kcv-only', proven: false };
  const pending = materials.find((m) => isPendingRotation(m));
  if (pending !== undefined)
    throw new ByokError(
      'ERR_KEY_NOT_ROTATABLE',
      `${keyArn} already has material ${pending.keyMaterialId ?? '(no id)'} pending rotation, not from this request`,
      {
        hint: 'KMS keeps one pending material per key. Nothing was sent for this key. Make that material current (byok-online rotate) or delete it (byok-online delete-material --key-material-id ID), then prepare again with --new-material.',
      },
    );
  return undefined;
}

/**
 * Whether an Enabled key already holds this material, so a re-run after an interruption does
 * exactly the rest: HMAC and asymmetric keys by their proof, symmetric keys by the
 * KeyMaterialId this log recorded for them (`recorded`).
 */
export async function alreadyHolds(
  kms: KmsPort,
  target: ImportTarget,
  material: WrappedMaterial,
  requestDigest: string,
  recorded: string | undefined,
): Promise<{
  described: KeyDescription;
  held: { proof: ProofKind; proven: boolean } | undefined;
}> {
  const described = await kms.describeKey(target.keyArn);
  if (described.keyState !== 'Enabled') return { described, held: undefined };
  if (material.proof.kind === 'kcv-only') {
    if (target.importType === 'NEW_KEY_MATERIAL')
      return { described, held: await newMaterialHeld(kms, target.keyArn, recorded) };
    return {
      described,
      held:
        recorded !== undefined && described.currentKeyMaterialId === recorded
          ? { proof: 'kcv-only', proven: false }
          : undefined,
    };
  }
  return { described, held: await proofOrUndefined(kms, target, material, requestDigest) };
}

/** What KMS says of a key the journal calls done: why it does not bear that out, or its standing. */
export type JournaledDoneCheck =
  | { readonly problem: string }
  | {
      readonly problem: undefined;
      /** KMS lists the material pending rotation, so it is not current whatever the journal says. */
      readonly pendingRotation: boolean;
    };

/**
 * Checks what the journal says an earlier run imported against KMS, by read-only calls: the
 * journal sits beside the request, so whoever can write there could claim a key done that never
 * took material. Symmetric keys by claimedMaterialProblem (the old material is imported too, so
 * that alone proves nothing), and a material KMS lists pending rotation is not current, whatever
 * the journal says (import --rotate rotates it); HMAC and asymmetric keys by their proof.
 */
export async function checkJournaledDone(
  kms: KmsPort,
  target: ImportTarget,
  material: WrappedMaterial,
  requestDigest: string,
  done: KeyDone,
  heldAtPrepare: HeldAtPrepare,
): Promise<JournaledDoneCheck> {
  const notHeld = { problem: 'KMS does not hold it' };
  if (material.proof.kind === 'kcv-only') {
    if (done.keyMaterialId === null) return notHeld;
    const materials = await kms.listKeyMaterials(target.keyArn);
    const problem = claimedMaterialProblem(materials, target, done.keyMaterialId, heldAtPrepare);
    if (problem !== undefined) return { problem };
    const listed = materials.find((m) => m.keyMaterialId === done.keyMaterialId);
    return {
      problem: undefined,
      pendingRotation: listed !== undefined && isPendingRotation(listed),
    };
  }
  const described = await kms.describeKey(target.keyArn);
  if (described.keyState === 'PendingImport') return notHeld;
  return (await proofOrUndefined(kms, target, material, requestDigest)) === undefined
    ? notHeld
    : { problem: undefined, pendingRotation: false };
}
