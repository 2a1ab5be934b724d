import { ByokError } from '@byok-ceremony/shared';
import type { KeyDescription, KmsPort } from '../kms/kms-port.js';

export interface WaitOptions {
  readonly sleep: (ms: number) => Promise<void>;
  /** Total time to wait before giving up. */
  readonly budgetMs: number;
}

/**
 * Polls DescribeKey until the key no longer awaits material. A re-imported Disabled key stays
 * Disabled, so success is "not PendingImport", and the state is reported as it is.
 */
export async function waitForImported(
  kms: KmsPort,
  keyArn: string,
  options: WaitOptions,
): Promise<KeyDescription> {
  let waited = 0;
  let delay = 100;
  for (;;) {
    const description = await kms.describeKey(keyArn);
    if (description.keyState !== 'PendingImport' && description.keyState !== 'Creating')
      return description;
    if (waited >= options.budgetMs) {
      throw new ByokError(
        'ERR_TIMEOUT',
        `${keyArn} is still ${description.keyState} ${Math.round(waited / 1000)} s after ImportKeyMaterial`,
        {
          hint: 'Check it with byok-online status --key-id KEY; running import again with the same bundles is safe.',
        },
      );
    }
    await options.sleep(delay);
    waited += delay;
    delay = Math.min(delay * 2, 2000);
  }
}
