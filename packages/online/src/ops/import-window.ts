/**
 * Time allowed for what happens between prepare and import away from this machine: carrying the
 * request, confirming its code, wrapping offline and carrying the answer back.
 */
const OFFLINE_ALLOWANCE_MS = 2 * 60 * 60 * 1000;
/**
 * Import's KMS calls per key against prepare's (docs/performance.md, "KMS calls per key"): as many
 * for a new symmetric key (DescribeKey and ImportKeyMaterial, against DescribeKey and
 * GetParametersForImport), twice as many for HMAC and asymmetric keys (the wait and the proof).
 * 1.5 sits between, on the side of warning early for a symmetric batch.
 */
const IMPORT_TO_PREPARE_RATIO = 1.5;

export interface ImportWindow {
  readonly keys: number;
  /** How long prepare's KMS calls took, measured on this run. */
  readonly prepareMs: number;
  readonly preparedAt: Date;
  readonly earliestValidTo: Date;
}

/** The import this run's rate predicts, and whether it ends after the earliest ParametersValidTo. */
export function importWindowWarning(window: ImportWindow): string | undefined {
  const importMs = window.prepareMs * IMPORT_TO_PREPARE_RATIO;
  const finish = window.preparedAt.getTime() + OFFLINE_ALLOWANCE_MS + importMs;
  if (finish <= window.earliestValidTo.getTime()) return undefined;
  const minutes = (ms: number): string => `${Math.ceil(ms / 60_000)} min`;
  return `warning: the ${window.keys} key(s) may not be imported before the earliest ParametersValidTo (${window.earliestValidTo.toISOString()}): at this run's rate import takes about ${minutes(importMs)}, after ${minutes(OFFLINE_ALLOWANCE_MS)} allowed for wrapping offline; split the batch, or raise --concurrency`;
}
