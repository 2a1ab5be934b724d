import type { LoggedEntry } from '../verify-chain.js';

/** KMS's own endpoints: https://kms.REGION.amazonaws.com, kms-fips., and .com.cn in China. */
const AWS_KMS_ENDPOINT =
  /^https:\/\/kms(-fips)?\.[a-z]{2}(-[a-z0-9]+){1,4}\.amazonaws\.com(\.cn)?(:443)?\/?$/;

/** One KMS endpoint the online entries recorded. */
export interface KmsEndpointUse {
  /** The URL, or null for the SDK's default, which is AWS KMS of the entry's Region. */
  readonly endpoint: string | null;
  /** Whether it is AWS KMS: null, or an endpoint of AWS_KMS_ENDPOINT's form. */
  readonly aws: boolean;
  /** How many entries recorded it. */
  readonly entries: number;
}

export function isAwsKmsEndpoint(endpoint: string | null): boolean {
  return endpoint === null || AWS_KMS_ENDPOINT.test(endpoint);
}

/** Each endpoint the entries' `kms` records name, in the order first met. */
export function kmsEndpointsOf(entries: readonly LoggedEntry[]): KmsEndpointUse[] {
  const counts = new Map<string | null, number>();
  for (const { entry } of entries)
    if (entry.kms !== undefined)
      counts.set(entry.kms.endpoint, (counts.get(entry.kms.endpoint) ?? 0) + 1);
  return [...counts].map(([endpoint, n]) => ({
    endpoint,
    aws: isAwsKmsEndpoint(endpoint),
    entries: n,
  }));
}

/**
 * Why the record is a rehearsal's, or null: an online step talked to a KMS endpoint that is not
 * AWS (a simulator, a proxy), so whatever it says proves nothing about keys in AWS.
 */
export function rehearsalOf(endpoints: readonly KmsEndpointUse[]): string | null {
  const others = endpoints.flatMap((e) => (e.aws || e.endpoint === null ? [] : [e.endpoint]));
  if (others.length === 0) return null;
  return others.length === 1
    ? `KMS endpoint ${others[0]!} is not AWS`
    : `KMS endpoints ${others.join(', ')} are not AWS`;
}
