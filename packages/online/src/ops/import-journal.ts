import { ByokError, parseStrictJson, type ImportRequestBundle } from '@byok-ceremony/shared';
import type { ProofKind } from './prove-material.js';

export const IMPORT_JOURNAL_FORMAT = 'byok-import-journal/2';
/** A journal of 10,000 keys is about 6 MiB; anything far larger was not written by import. */
export const MAX_JOURNAL_BYTES = 64 * 1024 * 1024;
const MAX_LINE_CHARS = 4096;
const HEX_DIGEST = /^[0-9a-f]{64}$/;
const PROOFS: readonly ProofKind[] = ['hmac', 'public-key', 'kcv-only'];

/** The key as DescribeKey saw it just before ImportKeyMaterial was sent. */
export interface KeyBefore {
  readonly keyState: string;
  readonly keyMaterialId: string | null;
}

/** The key's settled outcome: it holds the request's material. */
export interface KeyDone {
  readonly keyState: string;
  readonly keyMaterialId: string | null;
  readonly proof: ProofKind;
  readonly proven: boolean;
  readonly alreadyHeld: boolean;
  /** The material is the key's current one; false for new material pending rotation. */
  readonly current: boolean;
}

export type JournalLine =
  | {
      readonly format: typeof IMPORT_JOURNAL_FORMAT;
      readonly request: string;
      readonly wrapped: string;
      readonly targets: number;
      readonly time: string;
    }
  | { readonly event: 'resumed'; readonly time: string }
  | ({
      readonly event: 'sending';
      readonly target: number;
      readonly keyArn: string;
      readonly time: string;
    } & KeyBefore)
  | ({
      readonly event: 'imported';
      readonly target: number;
      readonly keyArn: string;
      readonly time: string;
    } & KeyDone);

/** What an earlier run recorded for one target. */
export interface JournalKeyRecord {
  /** The last ImportKeyMaterial sent; without `done` its outcome is unknown. */
  readonly sending: KeyBefore | undefined;
  readonly done: KeyDone | undefined;
}

export interface JournalState {
  /** Target index → what was recorded; absent targets were never sent. */
  readonly keys: ReadonlyMap<number, JournalKeyRecord>;
  /** How many runs resumed it before. */
  readonly resumes: number;
}

/** The durable side of a journal: each append is on disk (fsynced) when its promise resolves. */
export interface ImportJournalFile {
  readonly path: string;
  readonly earlier: JournalState;
  append(line: JournalLine): Promise<void>;
}

/** A journal opened for one run: new (exclusive create) or an earlier one to resume. */
export interface OpenedJournalFile extends ImportJournalFile {
  /** The bytes an earlier run left (resume), for the audit entry's digest. */
  readonly resumedBytes: Uint8Array | undefined;
  /** Waits for pending appends and closes the file. */
  close(): Promise<void>;
}

export type OpenJournalFile = (options: {
  readonly resume: boolean;
  readonly request: ImportRequestBundle;
  readonly digests: { readonly request: string; readonly wrapped: string };
}) => Promise<OpenedJournalFile>;

function journalError(path: string, line: number, why: string): ByokError {
  return new ByokError('ERR_JOURNAL', `import journal ${path}, line ${line}: ${why}`, {
    hint: 'The journal is written only by byok-online import, beside its request; if it was changed or belongs to another request, check the keys with byok-online status before doing anything else.',
  });
}

function exactKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(value, k));
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isTime = (v: unknown): v is string => isString(v) && !Number.isNaN(Date.parse(v));
const isIdOrNull = (v: unknown): v is string | null => v === null || isString(v);

/** One line checked member by member; undefined when it is not a journal line. */
function lineOf(value: unknown, targets: number): JournalLine | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const target = v['target'];
  const validTarget =
    typeof target === 'number' && Number.isInteger(target) && target >= 0 && target < targets;
  switch (v['event']) {
    case 'resumed':
      return exactKeys(v, ['event', 'time']) && isTime(v['time']) ? (v as JournalLine) : undefined;
    case 'sending':
      return exactKeys(v, ['event', 'target', 'keyArn', 'time', 'keyState', 'keyMaterialId']) &&
        validTarget &&
        isString(v['keyArn']) &&
        isTime(v['time']) &&
        isString(v['keyState']) &&
        isIdOrNull(v['keyMaterialId'])
        ? (v as JournalLine)
        : undefined;
    case 'imported':
      return exactKeys(v, [
        'event',
        'target',
        'keyArn',
        'time',
        'keyState',
        'keyMaterialId',
        'proof',
        'proven',
        'alreadyHeld',
        'current',
      ]) &&
        validTarget &&
        isString(v['keyArn']) &&
        isTime(v['time']) &&
        isString(v['keyState']) &&
        isIdOrNull(v['keyMaterialId']) &&
        PROOFS.includes(v['proof'] as ProofKind) &&
        typeof v['proven'] === 'boolean' &&
        typeof v['alreadyHeld'] === 'boolean' &&
        typeof v['current'] === 'boolean'
        ? (v as JournalLine)
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Parses a journal's complete lines strictly: the first binds it to this request and wrapped
 * bundle (their digests), every other is an event about a target of this request, by index and
 * ARN. Nothing after a key's `imported` line may be about that key.
 */
export function parseImportJournal(
  text: string,
  path: string,
  request: ImportRequestBundle,
  digests: { readonly request: string; readonly wrapped: string },
): JournalState {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const keys = new Map<number, { sending: KeyBefore | undefined; done: KeyDone | undefined }>();
  let resumes = 0;
  lines.forEach((text, i) => {
    const n = i + 1;
    if (text.length > MAX_LINE_CHARS) throw journalError(path, n, 'the line is too long');
    let value: unknown;
    try {
      value = parseStrictJson(text);
    } catch {
      throw journalError(path, n, 'not a JSON object');
    }
    if (i === 0) {
      const h = value as Record<string, unknown>;
      if (
        typeof value !== 'object' ||
        value === null ||
        !exactKeys(h, ['format', 'request', 'wrapped', 'targets', 'time']) ||
        h['format'] !== IMPORT_JOURNAL_FORMAT ||
        typeof h['request'] !== 'string' ||
        !HEX_DIGEST.test(h['request']) ||
        typeof h['wrapped'] !== 'string' ||
        !HEX_DIGEST.test(h['wrapped']) ||
        !isTime(h['time'])
      )
        throw journalError(path, n, `not a ${IMPORT_JOURNAL_FORMAT} header`);
      if (h['request'] !== digests.request || h['targets'] !== request.targets.length)
        throw journalError(path, n, 'the journal belongs to another import request');
      if (h['wrapped'] !== digests.wrapped)
        throw journalError(
          path,
          n,
          'the journal was started with another wrapped-key bundle: resume needs the same one',
        );
      return;
    }
    const line = lineOf(value, request.targets.length);
    if (line === undefined || 'format' in line)
      throw journalError(path, n, 'not an import journal event');
    if (line.event === 'resumed') {
      resumes++;
      return;
    }
    if (line.keyArn !== request.targets[line.target]!.keyArn)
      throw journalError(path, n, `target ${line.target} is not ${line.keyArn} in the request`);
    const record = keys.get(line.target) ?? { sending: undefined, done: undefined };
    if (record.done !== undefined)
      throw journalError(path, n, `${line.keyArn} was already recorded as imported`);
    if (line.event === 'sending')
      record.sending = { keyState: line.keyState, keyMaterialId: line.keyMaterialId };
    else
      record.done = {
        keyState: line.keyState,
        keyMaterialId: line.keyMaterialId,
        proof: line.proof,
        proven: line.proven,
        alreadyHeld: line.alreadyHeld,
        current: line.current,
      };
    keys.set(line.target, record);
  });
  if (lines.length === 0) throw journalError(path, 1, 'the journal is empty');
  return { keys, resumes };
}

/** What a resumed run starts from, for the operators. */
export function resumeNote(earlier: JournalState, targets: number): string {
  let done = 0;
  let unknown = 0;
  for (const record of earlier.keys.values()) {
    if (record.done !== undefined) done++;
    else if (record.sending !== undefined) unknown++;
  }
  return `resuming the journaled import: ${done} of ${targets} key(s) done, ${unknown} sent without a recorded answer (checked in KMS before anything is sent again), ${targets - done - unknown} not started`;
}
