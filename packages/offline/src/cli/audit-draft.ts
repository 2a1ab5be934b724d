import { unlink } from 'node:fs/promises';
import {
  ByokError,
  encodeHex,
  isByokError,
  sha256,
  type AuditKeyRecord,
  type AuditRecord,
  type AuditSigner,
} from '@byok-ceremony/shared';
import { appendAuditEntry, readAuditLogPosition, type CliDeps } from '@byok-ceremony/node-io';
import { TOOL, TOOL_VERSION } from './tool.js';

export function sha256Hex(bytes: Uint8Array): string {
  return encodeHex(sha256(bytes));
}

/** The audit entry a command fills in as it goes, appended once: on success or on failure. */
export class AuditDraft {
  operators: readonly string[] = [];
  readonly exceptions: string[] = [];
  readonly inputs: Record<string, string> = {};
  readonly outputs: Record<string, string> = {};
  readonly checkCodes: Record<string, string> = {};
  keys: readonly AuditKeyRecord[] = [];
  peerLogHead: string | null = null;
  /** Unlocked operator keys (--operator-key): each signs the entry as its operator's confirmation. */
  signers: readonly AuditSigner[] = [];

  constructor(
    private readonly command: string,
    private readonly path: string,
    private readonly deps: CliDeps,
  ) {}

  /** The log's head before this command's entry, which the bundle written carries. */
  async head(): Promise<string | null> {
    try {
      return (await readAuditLogPosition(this.path)).head;
    } catch (error) {
      throw auditLogError(this.path, error);
    }
  }

  private record(error: unknown): AuditRecord {
    return {
      command: this.command,
      operators: this.operators,
      exceptions: this.exceptions,
      inputs: this.inputs,
      outputs: this.outputs,
      checkCodes: this.checkCodes,
      keys: this.keys,
      kmsRequestIds: [],
      peerLogHead: this.peerLogHead,
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

  private async append(error: unknown): Promise<void> {
    await appendAuditEntry(
      this.path,
      this.record(error),
      {
        time: this.deps.now().toISOString(),
        tool: TOOL,
        toolVersion: TOOL_VERSION,
      },
      this.signers,
    );
  }

  /** Logs success; if the log cannot take the entry, the outputs are removed and the command fails. */
  async appendSuccess(writtenOutputs: readonly string[]): Promise<void> {
    try {
      await this.append(undefined);
    } catch (error) {
      for (const output of writtenOutputs) await unlink(output).catch(() => undefined);
      throw auditLogError(this.path, error);
    }
  }

  /** Logs a failure; a log that cannot take it is reported, and the original error still wins. */
  async appendFailure(failure: unknown): Promise<void> {
    try {
      await this.append(failure);
    } catch (error) {
      this.deps.stderr(
        `${TOOL}: warning: this failure could not be logged: ${auditLogError(this.path, error).message}\n`,
      );
    }
  }
}

function auditLogError(path: string, error: unknown): ByokError {
  return new ByokError(
    'ERR_AUDIT_LOG',
    `cannot use the audit log ${path}: ${error instanceof Error ? error.message : String(error)}`,
    { hint: 'Check that the folder of --audit-log exists and is writable; outputs were not kept.' },
  );
}
