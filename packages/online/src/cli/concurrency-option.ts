import type { Argv } from 'yargs';
import { ByokError } from '@byok-ceremony/shared';

const DEFAULT_CONCURRENCY = 8;
const MAX_CONCURRENCY = 64;

/** --concurrency: KMS calls in flight at once (prepare and import). */
export function withConcurrencyOption<T>(y: Argv<T>): Argv<T> {
  return y.option('concurrency', {
    type: 'number',
    describe: `KMS calls in flight at once, 1-${MAX_CONCURRENCY} (default ${DEFAULT_CONCURRENCY})`,
  });
}

export function concurrencyOf(args: Record<string, unknown>): number {
  const value = args['concurrency'];
  if (value === undefined) return DEFAULT_CONCURRENCY;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CONCURRENCY)
    throw new ByokError(
      'ERR_USAGE',
      `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`,
      {
        hint: `Leave it out for ${DEFAULT_CONCURRENCY}; lower it if KMS throttles this account hard.`,
      },
    );
  return value;
}
