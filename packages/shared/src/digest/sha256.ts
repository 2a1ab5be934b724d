import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/**
 * SHA-256 (FIPS 180-4) from @noble/hashes, an audited pure-JS implementation, so that digests
 * of bundles and logs are the same on every platform this package runs on.
 */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}
