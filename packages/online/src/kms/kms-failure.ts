import { ByokError } from '@byok-ceremony/shared';

/**
 * What a failed KMS call tells about its effect: `throttled` (refused before anything was done:
 * safe to send again), `refused` (KMS answered with a client error: nothing changed, and sending
 * the same again fails the same), `unknown` (a server error or no answer: it may have happened).
 */
export type KmsFailureKind = 'throttled' | 'refused' | 'unknown';

// LimitExceededException is a quota (25 on-demand rotations, keys per Region): refused, not throttling.
const THROTTLING = new Set(['ThrottlingException', 'RequestLimitExceeded']);

export function kmsFailureKind(error: unknown): KmsFailureKind {
  const sdk = error instanceof ByokError ? error.cause : error;
  if (!(sdk instanceof Error)) return 'unknown';
  const status = (sdk as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  if (THROTTLING.has(sdk.name) || status === 429) return 'throttled';
  if (typeof status === 'number' && status >= 400 && status < 500) return 'refused';
  return 'unknown';
}
