import { canonicalJson } from '../digest/canonical-json.js';
import { concatBytes, encodeUtf8 } from '../encoding/utf8.js';
import type { AuditEntry, AuditSignature } from './record.js';

const DOMAIN = encodeUtf8('byok-ceremony audit entry signature v1\n');

/**
 * The bytes an operator signs: a domain label and the canonical entry without its signatures,
 * so a signature covers seq, prev, time and every recorded value, and the hash chain (taken
 * over the whole line) covers the signatures.
 */
export function auditSignaturePayload(entry: AuditEntry): Uint8Array {
  // canonicalJson leaves out undefined fields, so this is the entry as it was before signing.
  return concatBytes(DOMAIN, encodeUtf8(canonicalJson({ ...entry, signatures: undefined })));
}

/** An unlocked operator key: who it belongs to, its public key, and a signing function over bytes. */
export interface AuditSigner {
  readonly operator: string;
  /** Ed25519 public key, DER SubjectPublicKeyInfo, base64. */
  readonly publicKey: string;
  /** Ed25519 signature of `payload`, base64. */
  readonly sign: (payload: Uint8Array) => string;
}

/** The entry with every signer's confirmation attached, in the order of the operators. */
export function signAuditEntry(entry: AuditEntry, signers: readonly AuditSigner[]): AuditEntry {
  if (signers.length === 0) return entry;
  const payload = auditSignaturePayload(entry);
  const signatures: AuditSignature[] = signers.map((s) => ({
    operator: s.operator,
    publicKey: s.publicKey,
    signature: s.sign(payload),
  }));
  return { ...entry, signatures };
}

/** Ed25519 verification supplied by the caller (node:crypto in the CLIs); keys and signatures base64. */
export type VerifyEd25519 = (publicKey: string, payload: Uint8Array, signature: string) => boolean;
