import type { AuditSignature } from '../record.js';
import { auditSignaturePayload } from '../signed-confirmation.js';
import type { LoggedEntry } from '../verify-chain.js';
import { isTwoPersonSuccess, SINGLE_OPERATOR_EXCEPTION } from './ceremony-commands.js';
import { where, type Report } from './report.js';
import type { PinnedOperatorKey, TranscriptOptions } from './transcript-types.js';

/** What the signature rule carries from entry to entry across both logs. */
export interface SignatureLedger {
  /** The first key each operator signed with: a second key for one name is an error. */
  readonly keysSeen: Map<string, { key: string; at: LoggedEntry }>;
  /** The pinned operators whose signatures verify on each entry: anchors for the coverage. */
  readonly pinnedSigned: Map<LoggedEntry, string[]>;
}

/** The signature rule's view of one entry while its signatures are checked. */
interface EntrySignatures {
  readonly e: LoggedEntry;
  readonly pins: readonly PinnedOperatorKey[];
  readonly twoPerson: boolean;
  /** Operators with a signature on the entry, verified or not. */
  readonly signed: Set<string>;
  /** Operators whose signature verifies with their pinned key. */
  readonly pinnedSigners: Set<string>;
  /** Reports a problem and counts it (the pinned-confirmation check only runs on none). */
  readonly fail: Report;
}

/** With pins, every operator of a wrap or import must be pinned. */
function checkOperatorsPinned(s: EntrySignatures): void {
  if (!s.twoPerson || s.pins.length === 0) return;
  for (const operator of new Set(s.e.entry.operators)) {
    if (!s.pins.some((p) => p.operator === operator))
      s.fail(
        'error',
        'operator-unpinned',
        s.e,
        `${where(s.e)} names operator ${JSON.stringify(operator)}, whose operator key is not pinned: with --operator-pubkey given, every operator of a wrap or import must be pinned`,
      );
  }
}

/** A verified signature's key must be the pinned one, and the key its operator used before. */
function checkSignatureKey(s: EntrySignatures, sig: AuditSignature, ledger: SignatureLedger): void {
  const { e, fail } = s;
  const pinned = s.pins.filter((p) => p.operator === sig.operator);
  if (pinned.length > 0 && !pinned.some((p) => p.publicKey === sig.publicKey)) {
    fail(
      'error',
      'signature-unexpected-key',
      e,
      `${where(e)} was signed by ${sig.operator} with a key other than the one pinned in ${pinned.map((p) => p.source).join(', ')}`,
    );
  } else if (pinned.length > 0) {
    s.pinnedSigners.add(sig.operator);
    ledger.pinnedSigned.set(e, [...(ledger.pinnedSigned.get(e) ?? []), sig.operator]);
  } else if (s.pins.length > 0 && !s.twoPerson) {
    // On a wrap or import the operator is already reported as not pinned.
    fail(
      'error',
      'signature-unexpected-key',
      e,
      `${where(e)} was signed by ${sig.operator}, whose key is not pinned (--operator-pubkey)`,
    );
  }
  const seen = ledger.keysSeen.get(sig.operator);
  if (seen !== undefined && seen.key !== sig.publicKey) {
    fail(
      'error',
      'signature-unexpected-key',
      e,
      `${where(e)} was signed by ${sig.operator} with another key than ${seen.at.file} line ${seen.at.line}`,
    );
  } else if (seen === undefined) {
    ledger.keysSeen.set(sig.operator, { key: sig.publicKey, at: e });
  }
}

/** Each signature is by a distinct operator of the entry and verifies over the entry. */
function checkEachSignature(
  s: EntrySignatures,
  options: TranscriptOptions,
  ledger: SignatureLedger,
): void {
  const { e, fail } = s;
  const signatures = e.entry.signatures ?? [];
  const payload = signatures.length > 0 ? auditSignaturePayload(e.entry) : undefined;
  for (const sig of signatures) {
    if (!e.entry.operators.includes(sig.operator) || s.signed.has(sig.operator)) {
      fail(
        'error',
        'signature-operator',
        e,
        `${where(e)} has a signature by ${sig.operator}, who is not an operator of the entry or signed twice`,
      );
      continue;
    }
    s.signed.add(sig.operator);
    if (!options.verifyEd25519(sig.publicKey, payload!, sig.signature)) {
      fail(
        'error',
        'signature-invalid',
        e,
        `${where(e)}: the signature of ${sig.operator} does not verify: the entry was changed after it was signed`,
      );
      continue;
    }
    checkSignatureKey(s, sig, ledger);
  }
}

/** A wrap or import carries the signature of each of its pinned operators. */
function checkPinnedOperatorsSigned(s: EntrySignatures): void {
  for (const operator of s.e.entry.operators) {
    if (!s.signed.has(operator) && s.pins.some((p) => p.operator === operator)) {
      s.fail(
        'error',
        'signature-missing',
        s.e,
        `${where(s.e)} has no signature by ${operator}, whose operator key is pinned`,
      );
    }
  }
}

/**
 * Signatures verify, are by operators of the entry, and use the pinned keys. With pins, a
 * successful wrap or import must be confirmed by two distinct pinned operators (one with the
 * single-operator exception): a name nobody pinned, or a missing signature, is what a forger
 * of an unanchored last line would write.
 */
export function checkOperatorSignatures(
  e: LoggedEntry,
  options: TranscriptOptions,
  ledger: SignatureLedger,
  report: Report,
): void {
  let problems = 0;
  const s: EntrySignatures = {
    e,
    pins: options.pinnedKeys ?? [],
    twoPerson: isTwoPersonSuccess(e.entry),
    signed: new Set<string>(),
    pinnedSigners: new Set<string>(),
    fail: (severity, code, at, message) => {
      problems++;
      report(severity, code, at, message);
    },
  };
  checkOperatorsPinned(s);
  checkEachSignature(s, options, ledger);
  if (!s.twoPerson) return;
  checkPinnedOperatorsSigned(s);
  if (s.pins.length === 0 || problems > 0) return;
  const alone =
    s.pinnedSigners.size === 1 &&
    e.entry.operators.length === 1 &&
    e.entry.exceptions.includes(SINGLE_OPERATOR_EXCEPTION);
  if (s.pinnedSigners.size < 2 && !alone)
    report(
      'error',
      'signature-missing',
      e,
      `${where(e)} is confirmed by ${s.pinnedSigners.size} pinned operator signature(s): with --operator-pubkey given, a wrap or import needs two distinct pinned operators (one with --single-operator)`,
    );
}
