import {
  ByokError,
  encodeHex,
  sha256,
  type AuditKeyRecord,
  type AuditRecord,
  type AuditSigner,
} from '@byok-ceremony/shared';
import { appendAuditEntry } from '@byok-ceremony/node-io';
import type { CliDeps } from './deps.js';
import type { KmsUsed } from './global-options.js';
import { TOOL, TOOL_VERSION } from './tool.js';

/** The accounts of the keys, from their ARNs: no KMS call needed. */
function accountsOf(keys: readonly AuditKeyRecord[]): string[] {
  const accounts = keys.flatMap(
    (k) => /^arn:aws[a-z-]*:kms:[^:]+:(\d{12}):/.exec(k.keyArn)?.[1] ?? [],
  );
  return [...new Set(accounts)].sort();
}

/** What one command gathers for its audit entry while it runs. */
export class AuditSession {
  readonly inputs: Record<string, string> = {};
  readonly outputs: Record<string, string> = {};
  readonly checkCodes: Record<string, string> = {};
  readonly exceptions: string[] = [];
  keys: AuditKeyRecord[] = [];
  readonly kmsRequestIds: string[] = [];
  peerLogHead: string | null = null;
  /** Set once KMS is opened: the endpoint and Region every call of this command went to. */
  kmsUsed: KmsUsed | undefined;
  /** Unlocked operator keys (--operator-key): each signs the entry as its operator's confirmation. */
  signers: readonly AuditSigner[] = [];

  constructor(
    readonly command: string,
    readonly operators: readonly string[],
  ) {}

  input(label: string, bytes: Uint8Array): void {
    this.inputs[label] = encodeHex(sha256(bytes));
  }

  output(label: string, bytes: Uint8Array | string): void {
    this.outputs[label] = encodeHex(
      sha256(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes),
    );
  }

  record(error: unknown): AuditRecord {
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
      ...(this.kmsUsed === undefined
        ? {}
        : { kms: { ...this.kmsUsed, accounts: accountsOf(this.keys) } }),
      outcome: error === undefined ? 'ok' : 'error',
      error:
        error === undefined
          ? null
          : error instanceof ByokError
            ? { code: error.code, message: error.message }
            : {
                code: 'ERR_INTERNAL',
                message: error instanceof Error ? error.message : 'unknown failure',
              },
    };
  }
}

/**
 * Runs the body of a ceremony command (after its arguments are validated) and appends exactly
 * one audit entry, for success and failure alike. A log that cannot be written is an error.
 */
export async function runAudited(
  deps: CliDeps,
  auditLog: string,
  session: AuditSession,
  body: () => Promise<void>,
): Promise<void> {
  let failure: Error | undefined;
  try {
    await body();
  } catch (error) {
    failure = error instanceof Error ? error : new Error(`non-error thrown: ${typeof error}`);
  }
  try {
    await appendAuditEntry(
      auditLog,
      session.record(failure),
      {
        time: deps.now().toISOString(),
        tool: TOOL,
        toolVersion: TOOL_VERSION,
      },
      session.signers,
    );
  } catch (error) {
    const logError = new ByokError(
      'ERR_AUDIT_LOG',
      `cannot append to the audit log ${auditLog}: ${(error as Error).message}`,
      {
        hint:
          'Check that the audit log folder is writable (--audit-log FILE); the command itself ' +
          (failure === undefined ? 'succeeded' : 'failed too') +
          '.',
        cause: error,
      },
    );
    throw failure ?? logError;
  }
  if (failure !== undefined) throw failure;
}
