import { ByokError } from '../errors.js';

/** How much a QR frame carries: `--qr-density low|normal|high`. */
export type QrDensity = 'low' | 'normal' | 'high';

export const QR_DENSITIES: readonly QrDensity[] = ['low', 'normal', 'high'];

export interface QrDensityProfile {
  /** The largest QR version (side = 17 + 4 × version modules) a frame of this density needs. */
  readonly maxVersion: number;
  /** Bytes of one binary frame, header and checksum included: Base45 of it fills that version. */
  readonly frameBytes: number;
}

/**
 * Error correction M (15%) at every density. The byte budgets are the alphanumeric capacity of
 * the version at level M, times 2/3 for Base45. `normal` is sized for a 720p webcam reading a
 * laptop screen (docs/performance.md); `low` for poor cameras, `high` for good ones.
 */
export const QR_DENSITY_PROFILES: Readonly<Record<QrDensity, QrDensityProfile>> = {
  low: { maxVersion: 12, frameBytes: 278 },
  normal: { maxVersion: 18, frameBytes: 544 },
  high: { maxVersion: 25, frameBytes: 966 },
};

export const DEFAULT_QR_DENSITY: QrDensity = 'normal';

export function parseQrDensity(text: string): QrDensity {
  if ((QR_DENSITIES as readonly string[]).includes(text)) return text as QrDensity;
  throw new ByokError('ERR_USAGE', `unknown QR density '${text}'`, {
    hint: `use one of ${QR_DENSITIES.join(', ')} (default ${DEFAULT_QR_DENSITY})`,
  });
}
