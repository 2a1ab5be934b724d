import { canonicalJson } from '../digest/canonical-json.js';
import { sha256 } from '../digest/sha256.js';
import { boundText } from '../encoding/bounded-text.js';
import { encodeHex } from '../encoding/hex.js';
import { concatBytes, encodeUtf8 } from '../encoding/utf8.js';
import type { AuditEntry, AuditRecord } from './record.js';

/** The domain label hashed before an entry's line; platform code hashing natively uses it too. */
export const AUDIT_ENTRY_DOMAIN = 'byok-ceremony audit entry v1\n';
const DOMAIN = encodeUtf8(AUDIT_ENTRY_DOMAIN);

/** The hash that the next entry names as `prev` and that bundles carry as the log head. */
export function auditEntryHash(line: string): string {
  return encodeHex(sha256(concatBytes(DOMAIN, encodeUtf8(line))));
}

/**
 * An entry's error message is cut to this many characters: enough for the first problems of any
 * validation error, and a hostile input cannot make the log line huge.
 */
export const AUDIT_ERROR_MESSAGE_MAX_CHARS = 4000;

export interface ChainPosition {
  readonly seq: number;
  readonly head: string | null;
}

/** The entry that extends a log at `position` (before any signature). */
export function nextAuditEntry(
  position: ChainPosition,
  record: AuditRecord,
  meta: { readonly time: string; readonly tool: string; readonly toolVersion: string },
): AuditEntry {
  const error =
    record.error === null
      ? null
      : {
          code: boundText(record.error.code, 64),
          message: boundText(record.error.message, AUDIT_ERROR_MESSAGE_MAX_CHARS),
        };
  return { ...record, error, seq: position.seq, prev: position.head, ...meta };
}

/** The canonical JSON line that extends a log at `position`. */
export function nextAuditEntryLine(
  position: ChainPosition,
  record: AuditRecord,
  meta: { readonly time: string; readonly tool: string; readonly toolVersion: string },
): { readonly entry: AuditEntry; readonly line: string; readonly hash: string } {
  const entry = nextAuditEntry(position, record, meta);
  const line = canonicalJson(entry);
  return { entry, line, hash: auditEntryHash(line) };
}
