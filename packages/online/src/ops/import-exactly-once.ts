import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import { kmsFailureKind } from '../kms/kms-failure.js';
import type { KeyBefore } from './import-journal.js';

/** Attempts of one ImportKeyMaterial, throttled or unanswered, before the command gives up. */
const IMPORT_ATTEMPTS = 12;
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 5_000;

/**
 * Whether an ImportKeyMaterial whose answer never came has taken effect, from what KMS says now
 * (DescribeKey, then ListKeyRotations for the material's import state) against the key as it was
 * before it was sent. A key that held material before and holds the same id now cannot tell, so
 * it counts as not landed: KMS accepts the same material again into such a key.
 */
export async function importLanded(
  kms: KmsPort,
  keyArn: string,
  before: KeyBefore,
): Promise<KeyDescription | undefined> {
  const now = await kms.describeKey(keyArn);
  if (now.keyState === 'PendingImport' || now.currentKeyMaterialId === undefined) return undefined;
  if (before.keyState !== 'PendingImport' && now.currentKeyMaterialId === before.keyMaterialId)
    return undefined;
  const materials = await kms.listKeyMaterials(keyArn);
  const current = materials.find((m) => m.keyMaterialId === now.currentKeyMaterialId);
  return current?.importState === 'IMPORTED' ? now : undefined;
}

export interface ImportAttempt {
  readonly input: Parameters<KmsPort['importKeyMaterial']>[0];
  readonly before: KeyBefore;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/**
 * Sends ImportKeyMaterial until it has taken effect once: a throttled call is sent again after a
 * jittered backoff; a call without an answer (server error, reset, timeout) is sent again only
 * after importLanded says it did not land. A refusal is thrown at once.
 */
export async function importExactlyOnce(
  kms: KmsPort,
  attempt: ImportAttempt,
): Promise<{ readonly keyMaterialId: string | undefined }> {
  const random = attempt.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      return await kms.importKeyMaterial(attempt.input);
    } catch (error) {
      const kind = kmsFailureKind(error);
      if (kind === 'refused' || n >= IMPORT_ATTEMPTS) throw error;
      if (kind === 'unknown') {
        const landed = await importLanded(kms, attempt.input.keyId, attempt.before);
        if (landed !== undefined) return { keyMaterialId: landed.currentKeyMaterialId };
      }
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1));
      await attempt.sleep(Math.round(ceiling * (0.5 + random() / 2)));
    }
  }
}
