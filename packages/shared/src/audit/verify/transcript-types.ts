import type { AuditFinding } from '../audit-finding.js';
import type { ExpectedHead } from '../head-code.js';
import type { VerifyEd25519 } from '../signed-confirmation.js';
import type { LoggedEntry } from '../verify-chain.js';
import type { KmsEndpointUse } from './kms-endpoints.js';

export interface PinnedOperatorKey {
  readonly operator: string;
  /** Ed25519 DER SubjectPublicKeyInfo, base64. */
  readonly publicKey: string;
  /** Where the pin came from, for messages (a file name). */
  readonly source: string;
}

export interface TranscriptOptions {
  readonly verifyEd25519: VerifyEd25519;
  /** Operator keys the verifier expects; a recorded key that differs is an error. */
  readonly pinnedKeys?: readonly PinnedOperatorKey[];
  /**
   * Log heads written on the paper record (64-hex heads or head codes); each must be the head of
   * a given log. A string is a 64-hex head given with --expect-head.
   */
  readonly expectedHeads?: readonly (ExpectedHead | string)[];
}

/**
 * VERIFIED: no problem, and an anchor covers every successful wrap and import. UNANCHORED: no
 * problem but that some wrap or import rests on no anchor. FAILED: any other problem.
 */
export type TranscriptVerdict = 'VERIFIED' | 'UNANCHORED' | 'FAILED';

/** The anchor that covers one entry (see anchorCoverage). */
export interface EntryAnchor {
  readonly file: string;
  readonly line: number;
  readonly anchor: string;
}

/** One prepare → wrap → import run as the logs link it. */
export interface CeremonyRun {
  readonly prepare: LoggedEntry | null;
  readonly wrap: LoggedEntry | null;
  readonly import: LoggedEntry | null;
  readonly requestDigest: string | null;
  readonly wrappedDigest: string | null;
}

export interface VerifiedLog {
  readonly file: string;
  readonly tool: string | null;
  readonly head: string | null;
  readonly lineCount: number;
}

export interface TranscriptResult {
  /** True only for VERIFIED. */
  readonly ok: boolean;
  readonly verdict: TranscriptVerdict;
  /** Every entry an anchor covers; an entry not listed is covered by none. */
  readonly anchors: readonly EntryAnchor[];
  readonly logs: readonly VerifiedLog[];
  readonly entries: readonly LoggedEntry[];
  readonly runs: readonly CeremonyRun[];
  readonly findings: readonly AuditFinding[];
  /** Every KMS endpoint the online entries recorded. */
  readonly kmsEndpoints: readonly KmsEndpointUse[];
  /**
   * Why this is a rehearsal's record (a KMS endpoint that is not AWS), or null. It does not
   * change the verdict: a rehearsal is a legitimate run, but never a production record.
   */
  readonly rehearsal: string | null;
}
