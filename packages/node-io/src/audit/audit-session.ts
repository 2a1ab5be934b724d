import {
  isByokError,
  type AuditKeyRecord,
  type AuditKmsRecord,
  type AuditRecord,
  type AuditSigner,
} from '@byok-ceremony/shared';
import { mergeFacts, type CeremonyFacts, type KmsUsed } from './ceremony-facts.js';

/** Where a port notes what it did for the command: files written, KMS request ids and endpoint. */
export interface PortRecorder {
  /** A file or folder this command created: removed again if its entry cannot be written. */
  wrote(path: string): void;
  kmsRequest(id: string): void;
  /** The KMS the command talked to; the first one opened is the command's. */
  usedKms(kms: KmsUsed): void;
}

/** The accounts of the keys, from their ARNs: no KMS call needed. */
function accountsOf(keys: readonly AuditKeyRecord[]): string[] {
  const accounts = keys.flatMap(
    (k) => /^arn:aws[a-z-]*:kms:[^:]+:(\d{12}):/.exec(k.keyArn ?? '')?.[1] ?? [],
  );
  return [...new Set(accounts)].sort();
}

function errorRecord(error: unknown): AuditRecord['error'] {
  if (error === undefined) return null;
  if (isByokError(error)) return { code: error.code, message: error.message };
  return {
    code: 'ERR_INTERNAL',
    message: error instanceof Error ? error.message : 'unknown failure',
  };
}

/**
 * One ceremony command as the audited runner logs it: who ran it, the exceptions the command
 * line declared (--single-operator), the operators' signers, and what the ports bound to it
 * observed. The operation's own facts are not here: the operation returns them.
 */
export class AuditSession implements PortRecorder {
  /** Unlocked operator keys (--operator-key): each signs the entry as its operator's confirmation. */
  signers: readonly AuditSigner[] = [];
  private readonly written: string[] = [];
  /** Departures noted while the command ran (a mistyped check code or passphrase), in order. */
  private readonly noted: string[] = [];
  private readonly kmsRequestIds: string[] = [];
  private kms: KmsUsed | undefined;

  constructor(
    readonly command: string,
    readonly operators: readonly string[],
    /** Exceptions the command line declared, recorded ahead of the operation's own. */
    readonly exceptions: readonly string[] = [],
  ) {}

  wrote(path: string): void {
    this.written.push(path);
  }

  kmsRequest(id: string): void {
    this.kmsRequestIds.push(id);
  }

  /** An exception that happened at a prompt: it goes on the entry whatever the outcome. */
  noteException(exception: string): void {
    this.noted.push(exception);
  }

  usedKms(kms: KmsUsed): void {
    this.kms ??= kms;
  }

  /** The command line's exceptions and what the ports observed, as facts. */
  observed(): CeremonyFacts {
    return {
      exceptions: [...this.exceptions, ...this.noted],
      kmsRequestIds: [...this.kmsRequestIds],
      written: [...this.written],
      ...(this.kms === undefined ? {} : { kms: this.kms }),
    };
  }

  /** The entry for `facts` (the observed facts merged with the operation's) and the outcome. */
  record(operationFacts: CeremonyFacts, error: unknown): AuditRecord {
    const facts = mergeFacts(this.observed(), operationFacts);
    const keys = [...(facts.keys ?? [])];
    const kms: AuditKmsRecord | undefined =
      facts.kms === undefined ? undefined : { ...facts.kms, accounts: accountsOf(keys) };
    return {
      command: this.command,
      operators: [...this.operators],
      exceptions: [...(facts.exceptions ?? [])],
      inputs: { ...facts.inputs },
      outputs: { ...facts.outputs },
      checkCodes: { ...facts.checkCodes },
      keys,
      kmsRequestIds: [...(facts.kmsRequestIds ?? [])],
      peerLogHead: facts.peerLogHead ?? null,
      ...(kms === undefined ? {} : { kms }),
      ...(facts.backup === undefined ? {} : { backup: facts.backup }),
      ...(facts.plan === undefined ? {} : { plan: facts.plan }),
      ...(facts.hsm === undefined ? {} : { hsm: facts.hsm }),
      outcome: error === undefined ? 'ok' : 'error',
      error: errorRecord(error),
    };
  }
}
