import { decodeBase64 } from '../encoding/base64.js';
import { ByokError } from '../errors.js';
import { listedProblems } from '../validation/field-checker.js';
import { wrappingKeyFingerprint } from '../material/fingerprint.js';
import { bundleDigest } from './digest.js';
import type { ImportRequestBundle, WrappedKeyBundle } from './types.js';

function fingerprintOf(publicKey: string): string | undefined {
  const spki = decodeBase64(publicKey);
  return spki === undefined ? undefined : wrappingKeyFingerprint(spki);
}

/**
 * What the caller already computed from this same request object, so that a large request is
 * hashed once: its bundle digest, and each target's wrapping key fingerprint in target order.
 */
export interface KnownRequestDigests {
  readonly requestDigest?: string;
  readonly fingerprints?: readonly string[];
}

/**
 * Checks that a wrapped bundle answers exactly this request: same digest, same targets in the
 * same order, each wrapped under the public key the request carried, one material per group.
 */
export function assertWrappedAnswersRequest(
  request: ImportRequestBundle,
  wrapped: WrappedKeyBundle,
  known: KnownRequestDigests = {},
): void {
  const problems: string[] = [];
  const digest = known.requestDigest ?? bundleDigest(request);
  // The first material of each group, as a search from the front finds it.
  const materialOf = new Map<string, WrappedKeyBundle['materials'][number]>();
  for (const m of wrapped.materials)
    if (!materialOf.has(m.materialGroup)) materialOf.set(m.materialGroup, m);
  if (wrapped.requestDigest !== digest) {
    problems.push(
      `it answers request ${wrapped.requestDigest.slice(0, 16)}…, not this one (${digest.slice(0, 16)}…)`,
    );
  }
  if (wrapped.ceremonyId !== request.ceremonyId)
    problems.push(`ceremony ${wrapped.ceremonyId} is not ${request.ceremonyId}`);
  if (wrapped.targets.length !== request.targets.length) {
    problems.push(
      `it has ${wrapped.targets.length} target(s), the request ${request.targets.length}`,
    );
  }
  request.targets.forEach((target, i) => {
    const answer = wrapped.targets[i];
    if (answer === undefined) return;
    if (answer.keyArn !== target.keyArn)
      problems.push(`targets[${i}] is ${answer.keyArn}, expected ${target.keyArn}`);
    if (answer.materialGroup !== target.materialGroup) {
      problems.push(
        `targets[${i}] uses material group ${answer.materialGroup}, expected ${target.materialGroup}`,
      );
    }
    const fingerprint = known.fingerprints?.[i] ?? fingerprintOf(target.publicKey);
    if (fingerprint === undefined || answer.wrappingKeyFingerprint !== fingerprint) {
      problems.push(`targets[${i}] was wrapped under another public key than the request's`);
    }
    const material = materialOf.get(target.materialGroup);
    if (material === undefined) problems.push(`no material for group ${target.materialGroup}`);
    else if (material.keySpec !== target.keySpec) {
      problems.push(
        `material ${material.materialGroup} is ${material.keySpec}, the key is ${target.keySpec}`,
      );
    }
  });
  if (problems.length > 0) {
    throw new ByokError(
      'ERR_BUNDLE_MISMATCH',
      `The wrapped bundle does not answer this import request:\n  ${listedProblems(problems).join('\n  ')}`,
      {
        hint: 'Give import the request file that byok-offline wrap read; if the ceremony was restarted, wrap again from the new request.',
        details: listedProblems(problems),
      },
    );
  }
}
