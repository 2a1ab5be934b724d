import { createHash } from 'node:crypto';
import {
  isByokError,
  type AuditBackupRecord,
  type AuditKeyRecord,
  type AuditKmsRecord,
  type AuditRecord,
  type AuditSigner,
} from '@byok-ceremony/shared';

/** The KMS a command talked to: null endpoint for the SDK's AWS default. */
export interface KmsUsed {
  readonly endpoint: string | null;
  readonly region: string;
}

/**
 * The facts an operation puts on record while it runs. Filled step by step, so that a failure
 * part-way still logs what was read, confirmed and done.
 */
export interface AuditFacts {
  readonly exceptions: string[];
  /** Label → SHA-256 hex of every file or bundle read. */
  readonly inputs: Record<string, string>;
  /** Label → SHA-256 hex of every file or bundle written. */
  readonly outputs: Record<string, string>;
  /** Label → check code shown (sender) or confirmed by every operator (reader). */
  readonly checkCodes: Record<string, string>;
  keys: AuditKeyRecord[];
  readonly kmsRequestIds: string[];
  peerLogHead: string | null;
  kms: KmsUsed | undefined;
  /** wrap, recover and components new: the backups made, or the backup the material came from. */
  backup: AuditBackupRecord | undefined;
  /** Records the SHA-256 of bytes read under a label. */
  input(label: string, bytes: Uint8Array | string): void;
  /** Records the SHA-256 of bytes written under a label. */
  output(label: string, bytes: Uint8Array | string): void;
  /** A file or folder this command created: removed again if its entry cannot be written. */
  wrote(path: string): void;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The accounts of the keys, from their ARNs: no KMS call needed. */
function accountsOf(keys: readonly AuditKeyRecord[]): string[] {
  const accounts = keys.flatMap(
    (k) => /^arn:aws[a-z-]*:kms:[^:]+:(\d{12}):/.exec(k.keyArn ?? '')?.[1] ?? [],
  );
  return [...new Set(accounts)].sort();
}

/** What one ceremony command gathers for its audit entry, on either machine. */
export class AuditSession implements AuditFacts {
  readonly exceptions: string[] = [];
  readonly inputs: Record<string, string> = {};
  readonly outputs: Record<string, string> = {};
  readonly checkCodes: Record<string, string> = {};
  keys: AuditKeyRecord[] = [];
  readonly kmsRequestIds: string[] = [];
  peerLogHead: string | null = null;
  kms: KmsUsed | undefined;
  backup: AuditBackupRecord | undefined;
  /** Unlocked operator keys (--operator-key): each signs the entry as its operator's confirmation. */
  signers: readonly AuditSigner[] = [];
  /** Files and folders written, newest last. */
  readonly written: string[] = [];

  constructor(
    readonly command: string,
    readonly operators: readonly string[],
  ) {}

  input(label: string, bytes: Uint8Array | string): void {
    this.inputs[label] = sha256Hex(bytes);
  }

  output(label: string, bytes: Uint8Array | string): void {
    this.outputs[label] = sha256Hex(bytes);
  }

  wrote(path: string): void {
    this.written.push(path);
  }

  record(error: unknown): AuditRecord {
    const kms: AuditKmsRecord | undefined =
      this.kms === undefined ? undefined : { ...this.kms, accounts: accountsOf(this.keys) };
    return {
      command: this.command,
      operators: [...this.operators],
      exceptions: [...this.exceptions],
      inputs: { ...this.inputs },
      outputs: { ...this.outputs },
      checkCodes: { ...this.checkCodes },
      keys: [...this.keys],
      kmsRequestIds: [...this.kmsRequestIds],
      peerLogHead: this.peerLogHead,
      ...(kms === undefined ? {} : { kms }),
      ...(this.backup === undefined ? {} : { backup: this.backup }),
      outcome: error === undefined ? 'ok' : 'error',
      error:
        error === undefined
          ? null
          : isByokError(error)
            ? { code: error.code, message: error.message }
            : {
                code: 'ERR_INTERNAL',
                message: error instanceof Error ? error.message : 'unknown failure',
              },
    };
  }
}
