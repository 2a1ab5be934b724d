import { createHash } from 'node:crypto';
import {
  AUDIT_ENTRY_DOMAIN,
  BUNDLE_DIGEST_DOMAIN,
  auditEntryHash,
  canonicalJson,
  type Bundle,
} from '@byok-ceremony/shared';

/**
 * shared's bundleDigest hashed by node:crypto: the same bytes (canonical JSON is well-formed
 * UTF-16, JSON.stringify escapes lone surrogates, so Node's UTF-8 equals shared's), far faster
 * on a bundle of a thousand keys than the pure-JS hash.
 */
export function nodeBundleDigest(bundle: Bundle): string {
  return createHash('sha256')
    .update(BUNDLE_DIGEST_DOMAIN, 'utf8')
    .update(canonicalJson(bundle), 'utf8')
    .digest('hex');
}

/** shared's wrappingKeyFingerprint (SHA-256 of the DER SPKI, hex) by node:crypto. */
export function nodeWrappingKeyFingerprint(spkiDer: Uint8Array): string {
  return createHash('sha256').update(spkiDer).digest('hex');
}

/** A lone surrogate: Node's UTF-8 would write U+FFFD where shared's encoder writes the unit. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** shared's auditEntryHash by node:crypto, for any line (one with a lone surrogate goes to shared's). */
export function nodeAuditEntryHash(line: string): string {
  if (LONE_SURROGATE.test(line)) return auditEntryHash(line);
  return createHash('sha256').update(AUDIT_ENTRY_DOMAIN, 'utf8').update(line, 'utf8').digest('hex');
}
