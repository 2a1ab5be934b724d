import { checkCodeOf } from '../check-code/check-code.js';
import { canonicalJson } from '../digest/canonical-json.js';
import { sha256 } from '../digest/sha256.js';
import { encodeHex } from '../encoding/hex.js';
import { encodeUtf8 } from '../encoding/utf8.js';
import type { CeremonyPlan, DigestedPlan } from './plan-types.js';

/**
 * The plan's digest: SHA-256 of the canonical JSON of the checked plan (defaults filled in, so a
 * plan means one thing whatever its layout, comments or YAML/JSON form) beside the SHA-256 of
 * each policy file it names. Its code is the check-code form the sign-off sheet carries.
 */
export function digestPlan(
  plan: CeremonyPlan,
  policyDigests: Readonly<Record<string, string>>,
): DigestedPlan {
  const digest = encodeHex(sha256(encodeUtf8(canonicalJson({ plan, policyDigests }))));
  return { plan, policyDigests, digest, code: checkCodeOf(digest) };
}
