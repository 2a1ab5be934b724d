import type { ByokError } from '@byok-ceremony/shared';
import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import type { WaitOptions } from './wait-for-imported.js';

/**
 * Reads, 100 ms doubling to 2 s apart, until `settled` holds for the answer; once the budget is
 * spent, throws what `timedOut` makes of the last answer and the seconds waited.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  wait: WaitOptions,
  settled: (answer: T) => boolean,
  timedOut: (answer: T, seconds: number) => ByokError,
): Promise<T> {
  let waited = 0;
  let delay = 100;
  for (;;) {
    const answer = await read();
    if (settled(answer)) return answer;
    if (waited >= wait.budgetMs) throw timedOut(answer, Math.round(waited / 1000));
    await wait.sleep(delay);
    waited += delay;
    delay = Math.min(delay * 2, 2000);
  }
}

/** pollUntil over DescribeKey. */
export function pollKey(
  kms: KmsPort,
  keyArn: string,
  wait: WaitOptions,
  settled: (d: KeyDescription) => boolean,
  timedOut: (d: KeyDescription, seconds: number) => ByokError,
): Promise<KeyDescription> {
  return pollUntil(() => kms.describeKey(keyArn), wait, settled, timedOut);
}
