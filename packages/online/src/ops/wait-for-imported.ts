import { ByokError } from '@byok-ceremony/shared';
import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import { holdsImported } from './holds-imported.js';
import { pollKey, pollUntil } from './poll-key.js';

export interface WaitOptions {
  readonly sleep: (ms: number) => Promise<void>;
  /** Total time to wait before giving up. */
  readonly budgetMs: number;
}

/**
 * Polls DescribeKey until the key no longer awaits material. A re-imported Disabled key stays
 * Disabled, so success is "not PendingImport", and the state is reported as it is.
 */
export function waitForImported(
  kms: KmsPort,
  keyArn: string,
  options: WaitOptions,
): Promise<KeyDescription> {
  return pollKey(
    kms,
    keyArn,
    options,
    (d) => d.keyState !== 'PendingImport' && d.keyState !== 'Creating',
    (d, seconds) =>
      new ByokError(
        'ERR_TIMEOUT',
        `${keyArn} is still ${d.keyState} ${seconds} s after ImportKeyMaterial`,
        {
          hint: 'Check it with byok-online status --key-id KEY; running import again with the same bundles is safe.',
        },
      ),
  );
}

/**
 * Polls ListKeyRotations until the named material is imported: a key that lost several materials
 * stays PendingImport until every one is back, so the key state cannot say this one landed.
 */
export async function waitForMaterialImported(
  kms: KmsPort,
  keyArn: string,
  keyMaterialId: string,
  options: WaitOptions,
): Promise<KeyDescription> {
  await pollUntil(
    () => kms.listKeyMaterials(keyArn),
    options,
    (materials) => holdsImported(materials, keyMaterialId),
    (_, seconds) =>
      new ByokError(
        'ERR_TIMEOUT',
        `${keyArn}: material ${keyMaterialId} is still not imported ${seconds} s after ImportKeyMaterial`,
        {
          hint: 'Check it with byok-online status --key-id KEY; running import again with the same bundles is safe.',
        },
      ),
  );
  return kms.describeKey(keyArn);
}
