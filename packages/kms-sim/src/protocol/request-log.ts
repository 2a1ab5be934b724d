import { closeSync, openSync, writeSync } from 'node:fs';
import type { Outcome } from './outcome.js';

/** One line of the request log. `status` is the HTTP status answered; 0 when the connection was reset. */
export interface RequestLogEntry {
  time: string;
  /** The TrentService operation named by X-Amz-Target, for KMS requests. */
  operation?: string;
  /** `METHOD /path` of an admin request. */
  admin?: string;
  /** The request's KeyId member as sent (alias, id or ARN), when it had one. */
  keyId?: string;
  status: number;
  /** The exception answered, e.g. ThrottlingException. */
  error?: string;
  /** The injected fault, if one was: throttle, internal or reset. */
  fault?: 'throttle' | 'internal' | 'reset';
  ms: number;
}

const MAX_LOGGED_KEY_ID = 2048;

/** The KeyId member of a request body, without trusting the body to be anything. */
export function keyIdOfBody(body: Buffer): string | undefined {
  if (body.length === 0 || body.length > 1024 * 1024) return undefined;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const keyId = (parsed as { KeyId?: unknown }).KeyId;
    return typeof keyId === 'string' ? keyId.slice(0, MAX_LOGGED_KEY_ID) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The entries of a request log read while the simulator may still be writing it: only lines
 * that end in a newline, so a line caught half-written is left for the next read, not misread.
 */
export function parseRequestLog(text: string): RequestLogEntry[] {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RequestLogEntry);
}

/** `--request-log FILE`: one JSON line per request, appended and written before the answer is sent. */
export class RequestLog {
  readonly #fd: number;

  constructor(path: string) {
    this.#fd = openSync(path, 'a', 0o600);
  }

  write(entry: RequestLogEntry): void {
    writeSync(this.#fd, `${JSON.stringify(entry)}\n`);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** Writes a request's line to the request log and its one-line summary to the verbose log. */
export function recordOutcome(
  outcome: Outcome,
  started: number,
  requestLog: RequestLog | undefined,
  log: ((line: string) => void) | undefined,
): void {
  const ms = Date.now() - started;
  requestLog?.write({
    time: new Date(started).toISOString(),
    ...(outcome.operation === undefined ? {} : { operation: outcome.operation }),
    ...(outcome.admin === undefined ? {} : { admin: outcome.admin }),
    ...(outcome.keyId === undefined ? {} : { keyId: outcome.keyId }),
    status: outcome.status,
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
    ...(outcome.fault === undefined ? {} : { fault: outcome.fault }),
    ms,
  });
  const what = outcome.admin ?? outcome.operation ?? 'unknown target';
  const result = outcome.fault === 'reset' ? 'reset' : String(outcome.status);
  log?.(`${what} ${result}${outcome.error === undefined ? '' : ` ${outcome.error}`} ${ms}ms`);
}
