import { rm } from 'node:fs/promises';
import { ByokError } from '@byok-ceremony/shared';
import { appendAuditEntry, assertAuditLogUsable } from '../io/audit-log.js';
import type { AuditSession } from './audit-session.js';

/** Where SIGINT and SIGTERM come from: the process, or a test's emitter. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface RunAuditedOptions {
  /** Absolute path of this machine's log. */
  readonly auditLog: string;
  readonly tool: string;
  readonly toolVersion: string;
  readonly now: () => Date;
  readonly stderr: (text: string) => void;
  /** Defaults to the process. */
  readonly signals?: SignalSource;
}

/** What the body gets from the runner. */
export interface AuditedRun {
  /** Aborted on SIGINT or SIGTERM: operations check it between keys and stop with ERR_INTERRUPTED. */
  readonly signal: AbortSignal;
  /** The log's last entry hash before this command's entry (null for a new log): bundles carry it. */
  readonly logHead: string | null;
}

/** The error an operation throws when the runner's signal stopped it between two steps. */
export function interruptedError(done: string): ByokError {
  return new ByokError('ERR_INTERRUPTED', `interrupted (SIGINT or SIGTERM) ${done}`, {
    hint: 'The audit log names what was done. Run the same command again with the same files: it finishes the rest.',
  });
}

async function removeWritten(session: AuditSession): Promise<void> {
  for (const path of [...session.written].reverse())
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
}

function auditLogError(path: string, error: unknown, outcome: string): ByokError {
  return new ByokError(
    'ERR_AUDIT_LOG',
    `cannot append to the audit log ${path}: ${error instanceof Error ? error.message : String(error)}`,
    {
      hint: `The command ${outcome}, but it is not on record, so its outputs were removed. Check that --audit-log names a writable file.`,
      cause: error,
    },
  );
}

/**
 * Runs one ceremony command and appends exactly one entry for it. The log is proven usable
 * before the body starts, so nothing reaches KMS or a file unlogged. Success that cannot be
 * logged is undone (outputs removed) and fails with ERR_AUDIT_LOG; a failure that cannot be
 * logged is warned about, and the original error wins. Same on both machines.
 */
export async function runAudited<T>(
  session: AuditSession,
  body: (run: AuditedRun) => Promise<T>,
  options: RunAuditedOptions,
): Promise<T> {
  const { head } = await assertAuditLogUsable(options.auditLog);
  const controller = new AbortController();
  const signals = options.signals ?? process;
  const stop = (): void => {
    if (!controller.signal.aborted)
      options.stderr(
        `${options.tool}: interrupted: the current step finishes (at a prompt, press Enter), then the command stops and logs what was done\n`,
      );
    controller.abort();
  };
  signals.on('SIGINT', stop);
  signals.on('SIGTERM', stop);
  const meta = () => ({
    time: options.now().toISOString(),
    tool: options.tool,
    toolVersion: options.toolVersion,
  });
  let result: T;
  try {
    result = await body({ signal: controller.signal, logHead: head });
  } catch (failure) {
    await removeWritten(session);
    try {
      await appendAuditEntry(options.auditLog, session.record(failure), meta(), session.signers);
    } catch (error) {
      options.stderr(
        `${options.tool}: warning: this failure could not be logged: ${auditLogError(options.auditLog, error, 'failed').message}\n`,
      );
    }
    throw failure;
  } finally {
    signals.off('SIGINT', stop);
    signals.off('SIGTERM', stop);
  }
  try {
    await appendAuditEntry(options.auditLog, session.record(undefined), meta(), session.signers);
  } catch (error) {
    await removeWritten(session);
    throw auditLogError(options.auditLog, error, 'succeeded');
  }
  return result;
}
