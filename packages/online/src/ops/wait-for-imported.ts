import { ByokError } from '@byok-ceremony/shared';
import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import { pollKey } from './poll-key.js';

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
