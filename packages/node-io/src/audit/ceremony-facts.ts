import { createHash } from 'node:crypto';
import type {
  AuditBackupRecord,
  AuditHsmRecord,
  AuditKeyRecord,
  AuditPlanRecord,
} from '@byok-ceremony/shared';

/** The KMS a command talked to: null endpoint for the SDK's AWS default. */
export interface KmsUsed {
  readonly endpoint: string | null;
  readonly region: string;
}

/**
 * What a ceremony operation puts on record: plain data, returned by the operation (or carried by
 * its error, see `withFailureFacts`) and merged by the audited runner into the command's one
 * entry. Every field is optional: a step returns only the facts it learnt.
 */
export interface CeremonyFacts {
  readonly exceptions?: readonly string[];
  /** Label → SHA-256 hex of every file or bundle read. */
  readonly inputs?: Readonly<Record<string, string>>;
  /** Label → SHA-256 hex of every file or bundle written. */
  readonly outputs?: Readonly<Record<string, string>>;
  /** Label → check code shown (sender) or confirmed by every operator (reader). */
  readonly checkCodes?: Readonly<Record<string, string>>;
  /** The keys the command acted on, as they stand at its end (a later piece replaces them). */
  readonly keys?: readonly AuditKeyRecord[];
  readonly kmsRequestIds?: readonly string[];
  readonly peerLogHead?: string | null;
  readonly kms?: KmsUsed;
  /** wrap, recover and components new: the backups made, or the backup the material came from. */
  readonly backup?: AuditBackupRecord;
  /** A plan-driven command: the plan's digest and name. */
  readonly plan?: AuditPlanRecord;
  /** wrap --hsm and recover --hsm: the token and the objects that hold the material. */
  readonly hsm?: AuditHsmRecord;
  /** Files and folders written, oldest first: removed again if the entry cannot be written. */
  readonly written?: readonly string[];
}

/** What a ceremony operation returns: its result, and the facts for its audit entry. */
export interface Ceremony<T> {
  readonly result: T;
  readonly facts: CeremonyFacts;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The piece of facts that records the SHA-256 of bytes read under a label. */
export function inputFact(label: string, bytes: Uint8Array | string): CeremonyFacts {
  return { inputs: { [label]: sha256Hex(bytes) } };
}

/** The piece of facts that records the SHA-256 of bytes written under a label. */
export function outputFact(label: string, bytes: Uint8Array | string): CeremonyFacts {
  return { outputs: { [label]: sha256Hex(bytes) } };
}

function joined<V>(a: readonly V[] | undefined, b: readonly V[] | undefined): V[] | undefined {
  return a === undefined && b === undefined ? undefined : [...(a ?? []), ...(b ?? [])];
}

function spread(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  return a === undefined && b === undefined ? undefined : { ...a, ...b };
}

/**
 * Facts `later` learnt after `earlier`: lists are appended (exceptions, request ids, paths
 * written), labelled digests and codes merged with the later label winning, and keys, the peer's
 * log head, the KMS used, the backup and the token replaced when the later piece names them.
 */
export function mergeFacts(earlier: CeremonyFacts, later: CeremonyFacts): CeremonyFacts {
  const merged: Record<keyof CeremonyFacts, unknown> = {
    exceptions: joined(earlier.exceptions, later.exceptions),
    inputs: spread(earlier.inputs, later.inputs),
    outputs: spread(earlier.outputs, later.outputs),
    checkCodes: spread(earlier.checkCodes, later.checkCodes),
    keys: later.keys ?? earlier.keys,
    kmsRequestIds: joined(earlier.kmsRequestIds, later.kmsRequestIds),
    peerLogHead: later.peerLogHead !== undefined ? later.peerLogHead : earlier.peerLogHead,
    kms: later.kms ?? earlier.kms,
    backup: later.backup ?? earlier.backup,
    plan: later.plan ?? earlier.plan,
    hsm: later.hsm ?? earlier.hsm,
    written: joined(earlier.written, later.written),
  };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
}

/** The property a failed operation's error carries its facts in (not enumerable: not printed). */
const FACTS = 'ceremonyFacts';

/**
 * The contract for a failure part-way: an operation rethrows the very error it failed with, its
 * facts so far attached as a `ceremonyFacts` field, so the runner logs what was read, confirmed
 * and done while the command still reports (and tests still see) the original error. A value
 * thrown that is not an object is replaced by an Error, which logs the same way.
 */
export function withFailureFacts(error: unknown, facts: CeremonyFacts): unknown {
  const carrier =
    typeof error === 'object' && error !== null ? error : new Error('unknown failure');
  Object.defineProperty(carrier, FACTS, { value: facts, enumerable: false, configurable: true });
  return carrier;
}

/** The facts a failure carries (none for an error no operation caught). */
export function factsOfFailure(error: unknown): CeremonyFacts {
  if (typeof error !== 'object' || error === null) return {};
  const facts: unknown = (error as Record<string, unknown>)[FACTS];
  return typeof facts === 'object' && facts !== null ? facts : {};
}

/**
 * The facts one operation gathers, created inside that operation (never handed in). Steps add
 * the piece they return; `run` hands back the facts with the result, or rethrows a failure with
 * the facts gathered until then.
 */
export class FactsBuilder {
  private gathered: CeremonyFacts = {};

  add(piece: CeremonyFacts): void {
    this.gathered = mergeFacts(this.gathered, piece);
  }

  input(label: string, bytes: Uint8Array | string): void {
    this.add(inputFact(label, bytes));
  }

  output(label: string, bytes: Uint8Array | string): void {
    this.add(outputFact(label, bytes));
  }

  /** Adds the facts a step returned with its result, and returns the result. */
  take<T>(step: Ceremony<T>): T {
    this.add(step.facts);
    return step.result;
  }

  /** The keys on record so far (none yet: empty). */
  get keys(): readonly AuditKeyRecord[] {
    return this.gathered.keys ?? [];
  }

  build(): CeremonyFacts {
    return this.gathered;
  }

  async run<T>(body: () => Promise<T>): Promise<Ceremony<T>> {
    try {
      const result = await body();
      return { result, facts: this.gathered };
    } catch (error) {
      throw withFailureFacts(error, mergeFacts(this.gathered, factsOfFailure(error)));
    }
  }
}
