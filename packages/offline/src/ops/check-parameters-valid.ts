import { ByokError, type ImportTarget } from '@byok-ceremony/shared';

const WARN_BELOW_MS = 60 * 60 * 1000;

/**
 * Refuses targets whose import parameters have expired by this machine's clock, naming that
 * clock, since an air-gapped machine's clock is the usual suspect. Returns warnings for targets
 * with less than an hour left.
 */
export function checkParametersValid(targets: readonly ImportTarget[], now: Date): string[] {
  const warnings: string[] = [];
  for (const target of targets) {
    const validTo = Date.parse(target.parametersValidTo);
    const left = validTo - now.getTime();
    if (left <= 0) {
      throw new ByokError(
        'ERR_PARAMETERS_EXPIRED',
        `the import parameters of ${target.keyArn} expired at ${target.parametersValidTo}; this machine's clock (system time, UTC) says ${now.toISOString()}`,
        {
          hint: "Check this air-gapped machine's clock against a trusted one. If it is right, run byok-online prepare again for fresh parameters (they last 24 hours) and wrap the new request.",
        },
      );
    }
    if (left < WARN_BELOW_MS) {
      warnings.push(
        `the import parameters of ${target.keyArn} expire in ${Math.floor(left / 60000)} minute(s) (at ${target.parametersValidTo}, by this machine's clock): import soon`,
      );
    }
  }
  return warnings;
}
