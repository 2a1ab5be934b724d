import { canonicalJson } from '../digest/canonical-json.js';
import { sha256 } from '../digest/sha256.js';
import { encodeHex } from '../encoding/hex.js';
import { concatBytes, encodeUtf8 } from '../encoding/utf8.js';
import type { Bundle } from './types.js';

/** The domain label hashed before the canonical JSON; platform code hashing natively uses it too. */
export const BUNDLE_DIGEST_DOMAIN = 'byok-ceremony bundle digest v1\n';
const DOMAIN = encodeUtf8(BUNDLE_DIGEST_DOMAIN);

/**
 * SHA-256 over a domain label and the canonical JSON of the whole bundle, so the digest (and
 * the check code read from it) changes when any field changes, including ones added later.
 */
export function bundleDigest(bundle: Bundle): string {
  return encodeHex(sha256(concatBytes(DOMAIN, encodeUtf8(canonicalJson(bundle)))));
}
