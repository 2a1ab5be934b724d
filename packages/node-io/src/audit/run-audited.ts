import { rm } from 'node:fs/promises';
import { ByokError, headCodeOf } from '@byok-ceremony/shared';
import { appendAuditEntry, assertAuditLogUsable, AuditLogHeadMovedError } from '../io/audit-log.js';
import type { AuditSession } from './audit-session.js';
import {
  factsOfFailure,
  mergeFacts,
  withFailureFacts,
  type Ceremony,
  type CeremonyFacts,
} from './ceremony-facts.js';

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
  /**
   * Where a success's log head code goes: the command's last line (CliDeps.sayLast), after
   * what it prints once the entry is appended. Defaults to stderr at once.
   */
  readonly sayLast?: (text: string) => void;
  /** Defaults to the process. */
  readonly signals?: SignalSource;
}

/** What the body gets from the runner. */
export interface AuditedRun {
  /** Aborted on SIGINT or SIGTERM: operations check it between keys and stop with ERR_INTERRUPTED. */
  readonly signal: AbortSignal;
  /**
   * The log's last entry hash before this command's entry (null for a new log): bundles carry
   * it. Once read, the entry is appended only if the log still ends there (see runAudited).
   */
  readonly logHead: string | null;
}

/**
 * The error an operation throws when the runner's signal stopped it between two steps; `next`
 * names the command that goes on from there when it is not simply the same command again.
 */
export function interruptedError(done: string, next?: string): ByokError {
  return new ByokError('ERR_INTERRUPTED', `interrupted (SIGINT or SIGTERM) ${done}`, {
    hint: `The audit log names what was done. ${next ?? 'Run the same command again with the same files: it finishes the rest.'}`,
  });
}

async function removeWritten(session: AuditSession, facts: CeremonyFacts): Promise<void> {
  const written = mergeFacts(session.observed(), facts).written ?? [];
  for (const path of [...written].reverse())
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

function entryMeta(options: RunAuditedOptions) {
  return {
    time: options.now().toISOString(),
    tool: options.tool,
    toolVersion: options.toolVersion,
  };
}

/** Logs a failure with the facts it carries; a log that refuses it is warned about only. */
async function logFailure(
  session: AuditSession,
  facts: CeremonyFacts,
  failure: unknown,
  options: RunAuditedOptions,
): Promise<void> {
  try {
    const head = await appendAuditEntry(
      options.auditLog,
      session.record(facts, failure),
      entryMeta(options),
      session.signers,
    );
    announceHead(head, options);
  } catch (error) {
    options.stderr(
      `${options.tool}: warning: this failure could not be logged: ${auditLogError(options.auditLog, error, 'failed').message}\n`,
    );
  }
}

/**
 * The log's new head code, the last line of every ceremony command: the witness writes it down
 * there, so the record is anchored without a separate `audit head` (which prints it again).
 */
function announceHead(head: string, options: RunAuditedOptions): void {
  options.stderr(
    `${options.tool}: log head code ${headCodeOf(head)} (the witness writes it down; audit head prints it again)\n`,
  );
}

/** SIGINT and SIGTERM abort the returned controller's signal until `release` is called. */
function listenForStop(options: RunAuditedOptions): {
  readonly signal: AbortSignal;
  readonly release: () => void;
} {
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
  return {
    signal: controller.signal,
    release: () => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
    },
  };
}

/**
 * Appends the entry of a success. An entry that cannot be written undoes the outputs and fails
 * with ERR_AUDIT_LOG; a head that moved is logged as a failure. Either error carries the
 * operation's facts, as a failed operation's does: the command reports what it did (import:
 * the keys imported) though the entry could not say it.
 */
async function logSuccess(
  session: AuditSession,
  facts: CeremonyFacts,
  heldTo: string | null | undefined,
  options: RunAuditedOptions,
): Promise<void> {
  try {
    const head = await appendAuditEntry(
      options.auditLog,
      session.record(facts, undefined),
      entryMeta(options),
      session.signers,
      heldTo,
    );
    announceHead(head, { ...options, stderr: options.sayLast ?? options.stderr });
  } catch (error) {
    await removeWritten(session, facts);
    if (!(error instanceof AuditLogHeadMovedError))
      throw withFailureFacts(auditLogError(options.auditLog, error, 'succeeded'), facts);
    // What the command did (KMS calls included) stays on record, as a failure.
    await logFailure(session, facts, error, options);
    throw withFailureFacts(error, facts);
  }
}

/**
 * Runs one ceremony command and appends exactly one entry for it. The log is proven usable
 * before the body starts, so nothing reaches KMS or a file unlogged. The body returns its
 * result with its facts, or throws an error carrying the facts gathered so far (see
 * `withFailureFacts`); the entry holds those merged after what the session's ports observed.
 * Success that cannot be logged is undone (outputs removed) and fails with ERR_AUDIT_LOG; a
 * failure that cannot be logged is warned about, and the original error wins. Same on both
 * machines.
 */
export async function runAudited<T>(
  session: AuditSession,
  body: (run: AuditedRun) => Promise<Ceremony<T>>,
  options: RunAuditedOptions,
): Promise<T> {
  const { head } = await assertAuditLogUsable(options.auditLog);
  const stop = listenForStop(options);
  // The head is read before the body and the entry appended after it, each under the lock but
  // not one lock across both: so a body that gave the head out (in a bundle) has its append
  // refused if another command appended in between, rather than chain after an entry its
  // bundle does not name. A body that never read it (most commands) is not held to it.
  const headUse = { givenOut: false };
  const run: AuditedRun = {
    signal: stop.signal,
    get logHead() {
      headUse.givenOut = true;
      return head;
    },
  };
  let outcome: Ceremony<T>;
  try {
    outcome = await body(run);
  } catch (failure) {
    const carried = factsOfFailure(failure);
    await removeWritten(session, carried);
    await logFailure(session, carried, failure, options);
    throw failure;
  } finally {
    stop.release();
  }
  await logSuccess(session, outcome.facts, headUse.givenOut ? head : undefined, options);
  return outcome.result;
}
