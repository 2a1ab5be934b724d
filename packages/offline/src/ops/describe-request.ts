import { nodeWrappingKeyFingerprint } from '@byok-ceremony/node-io/key-material';
import {
  type ImportRequestBundle,
  type KeySpec,
  type KeyUsage,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '@byok-ceremony/shared';

export interface RequestTargetSummary {
  readonly keyArn: string;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly materialGroup: string;
  readonly wrappingAlgorithm: WrappingAlgorithm;
  readonly wrappingKeySpec: WrappingKeySpec;
  readonly wrappingKeyFingerprint: string;
  readonly parametersValidTo: string;
  /** By this machine's clock; negative once expired. */
  readonly secondsLeft: number;
}

export interface RequestSummary {
  readonly kind: 'import-request';
  readonly ceremonyId: string;
  readonly createdAt: string;
  readonly operators: readonly string[];
  readonly auditLogHead: string | null;
  /** Version 3: the ceremony plan's name and digest, null for a flag-driven prepare or earlier versions. */
  readonly ceremonyName: string | null;
  readonly planDigest: string | null;
  readonly clock: string;
  readonly targets: readonly RequestTargetSummary[];
}

/**
 * What an operator needs to see of a validated import request, timed by `now`. Never its check
 * code or digest: the machine that reads a bundle must not show what its operators will type.
 */
export function describeRequest(
  request: ImportRequestBundle,
  now: Date,
  /** Each target's wrapping key fingerprint, when the caller has them already. */
  fingerprints?: readonly string[],
): RequestSummary {
  return {
    kind: 'import-request',
    ceremonyId: request.ceremonyId,
    createdAt: request.createdAt,
    operators: request.operators,
    auditLogHead: request.auditLogHead,
    ceremonyName: request.ceremonyName ?? null,
    planDigest: request.planDigest ?? null,
    clock: now.toISOString(),
    targets: request.targets.map((t, i) => ({
      keyArn: t.keyArn,
      keySpec: t.keySpec,
      keyUsage: t.keyUsage,
      materialGroup: t.materialGroup,
      wrappingAlgorithm: t.wrappingAlgorithm,
      wrappingKeySpec: t.wrappingKeySpec,
      wrappingKeyFingerprint:
        fingerprints?.[i] ?? nodeWrappingKeyFingerprint(Buffer.from(t.publicKey, 'base64')),
      parametersValidTo: t.parametersValidTo,
      secondsLeft: Math.floor((Date.parse(t.parametersValidTo) - now.getTime()) / 1000),
    })),
  };
}
