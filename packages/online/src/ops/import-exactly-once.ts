import type { KeyDescription, KeyMaterialEntry, KmsPort } from '../kms/kms-port.js';
import { KMS_CALL_ATTEMPTS } from '../kms/kms-call-attempts.js';
import { kmsFailureKind } from '../kms/kms-failure.js';
import type { KeyBefore } from './import-journal.js';
import type { ImportTarget } from '@byok-ceremony/shared';
import { isPendingRotation } from './pending-rotation.js';

const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 5_000;

/** What an ImportKeyMaterial took effect as: the key now, and the material it imported. */
export interface Landed {
  readonly described: KeyDescription;
  readonly keyMaterialId: string | undefined;
  /** ListKeyRotations as it was read to decide, for checks of the material found. */
  readonly materials: readonly KeyMaterialEntry[];
}

/**
 * Whether an ImportKeyMaterial whose answer never came has taken effect, from what KMS says now
 * (DescribeKey, then ListKeyRotations for the material's import state) against the key as it was
 * before it was sent:
 * - new material of a rotation (a key that held material): an imported material pending
 *   rotation (KMS allows one, and the import refuses to start when one was already there);
 * - a named material re-imported into a key awaiting it: that material imported;
 * - otherwise the key's current material imported where there was none, or another one.
 * A key that held the material before and holds it now cannot tell, so it counts as not landed:
 * KMS accepts the same material again into such a key.
 */
export async function importLanded(
  kms: KmsPort,
  target: Pick<ImportTarget, 'keyArn' | 'importType' | 'keyMaterialId'>,
  before: KeyBefore,
): Promise<Landed | undefined> {
  const now = await kms.describeKey(target.keyArn);
  if (target.importType === 'NEW_KEY_MATERIAL' && before.keyState !== 'PendingImport') {
    const materials = await kms.listKeyMaterials(target.keyArn);
    const pending = materials.find(
      (m) =>
        isPendingRotation(m) &&
        m.importState === 'IMPORTED' &&
        m.keyMaterialId !== before.keyMaterialId,
    );
    return pending === undefined
      ? undefined
      : { described: now, keyMaterialId: pending.keyMaterialId, materials };
  }
  const named = typeof target.keyMaterialId === 'string' ? target.keyMaterialId : undefined;
  if (named !== undefined && before.keyState === 'PendingImport') {
    const materials = await kms.listKeyMaterials(target.keyArn);
    const material = materials.find((m) => m.keyMaterialId === named);
    return material?.importState === 'IMPORTED'
      ? { described: now, keyMaterialId: named, materials }
      : undefined;
  }
  if (now.keyState === 'PendingImport' || now.currentKeyMaterialId === undefined) return undefined;
  if (before.keyState !== 'PendingImport' && now.currentKeyMaterialId === before.keyMaterialId)
    return undefined;
  const materials = await kms.listKeyMaterials(target.keyArn);
  const current = materials.find((m) => m.keyMaterialId === now.currentKeyMaterialId);
  return current?.importState === 'IMPORTED'
    ? { described: now, keyMaterialId: now.currentKeyMaterialId, materials }
    : undefined;
}

export interface ImportAttempt {
  readonly input: Parameters<KmsPort['importKeyMaterial']>[0];
  readonly target: Pick<ImportTarget, 'keyArn' | 'importType' | 'keyMaterialId'>;
  readonly before: KeyBefore;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** How an import took effect: its material, and whether KMS answered the call itself. */
export interface ImportTookEffect {
  readonly keyMaterialId: string | undefined;
  /** True when ImportKeyMaterial's own answer came back; false when importLanded judged it. */
  readonly answered: boolean;
}

/**
 * Sends ImportKeyMaterial until it has taken effect once: a throttled call is sent again after a
 * jittered backoff; a call without an answer (server error, reset, timeout) is sent again only
 * after importLanded says it did not land. A refusal is thrown at once.
 */
export async function importExactlyOnce(
  kms: KmsPort,
  attempt: ImportAttempt,
): Promise<ImportTookEffect> {
  const random = attempt.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      const { keyMaterialId } = await kms.importKeyMaterial(attempt.input);
      return { keyMaterialId, answered: true };
    } catch (error) {
      const kind = kmsFailureKind(error);
      if (kind === 'refused' || n >= KMS_CALL_ATTEMPTS) throw error;
      if (kind === 'unknown') {
        const landed = await importLanded(kms, attempt.target, attempt.before);
        if (landed !== undefined) return { keyMaterialId: landed.keyMaterialId, answered: false };
      }
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1));
      await attempt.sleep(Math.round(ceiling * (0.5 + random() / 2)));
    }
  }
}
