import type { KmsPort } from '../kms/kms-port.js';
import { assertKeyInRegion } from './key-region.js';
import { keyStatus, type KeyStatus } from './key-status.js';

/** The status of each named key, or (`all`) of every key of origin EXTERNAL in the Region. */
export async function keysToWatch(
  kms: KmsPort,
  keyIds: readonly string[],
  all: boolean,
): Promise<KeyStatus[]> {
  for (const keyId of keyIds) assertKeyInRegion(keyId, kms.region);
  const ids = all ? (await kms.listKeys()).map((k) => k.arn) : keyIds;
  const statuses: KeyStatus[] = [];
  for (const keyId of ids) {
    if (all) {
      const d = await kms.describeKey(keyId);
      // Keys pending deletion stay in: status warns about them.
      if (d.origin !== 'EXTERNAL') continue;
    }
    statuses.push(await keyStatus(kms, keyId));
  }
  return statuses;
}
