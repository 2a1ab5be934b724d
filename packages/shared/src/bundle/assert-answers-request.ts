import { decodeBase64 } from '../encoding/base64.js';
import { ByokError } from '../errors.js';
import { listedProblems } from '../validation/field-checker.js';
import { wrappingKeyFingerprint } from '../material/fingerprint.js';
import { bundleDigest } from './digest.js';
import type { ImportRequestBundle, WrappedKeyBundle } from './types.js';

/**
 * Checks that a wrapped bundle answers exactly this request: same digest, same targets in the
 * same order, each wrapped under the public key the request carried, one material per group.
 */
export function assertWrappedAnswersRequest(
  request: ImportRequestBundle,
  wrapped: WrappedKeyBundle,
): void {
  const problems: string[] = [];
  const digest = bundleDigest(request);
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
    const spki = decodeBase64(target.publicKey);
    if (spki === undefined || answer.wrappingKeyFingerprint !== wrappingKeyFingerprint(spki)) {
      problems.push(`targets[${i}] was wrapped under another public key than the request's`);
    }
    const material = wrapped.materials.find((m) => m.materialGroup === target.materialGroup);
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
