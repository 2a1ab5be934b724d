import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ByokError, FieldChecker } from '@byok-ceremony/shared';
import { SimState } from './store.js';
import type { TrackedMap } from './store.js';
import {
  CHANGE_RULES,
  RecordCodec,
  SNAPSHOT_RULES,
  STATE_FORMAT,
  StateRecordError,
  checkRecord,
  loadAlias,
} from './stored-records.js';
import type { Json } from './stored-records.js';

/** A state file larger than this is refused before it is read. */
export const MAX_STATE_FILE_BYTES = 512 * 1024 * 1024;
const MAC_HEX = 64;
const NEWLINE = 0x0a;
const TAB = 0x09;

/** A file opened for reading, or undefined when there is none yet. */
function openIfPresent(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function readExistingRootKey(path: string): Buffer | undefined {
  const fd = openIfPresent(path);
  if (fd === undefined) return undefined;
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if (mode !== 0o600)
      throw new ByokError(
        'ERR_INPUT_FILE',
        `the root key ${path} has mode 0${mode.toString(8)}, not 0600: others may have read the key that seals the state`,
        {
          hint: `if nobody else could, restrict it with chmod 600 ${path}, else delete it and the state file and start again`,
        },
      );
    const key = readFileSync(fd);
    if (key.length !== 32)
      throw new ByokError('ERR_INPUT_FILE', `${path} is not a 32-byte root key`, {
        hint: 'restore the root key byok-kms-sim created, or delete it and the state file to start afresh',
      });
    return key;
  } finally {
    closeSync(fd);
  }
}

/** The root key beside the state file: created once, 0600, exclusively; an existing one must be 0600. */
export function loadOrCreateRootKey(stateFile: string): Buffer {
  const path = `${stateFile}.key`;
  const existing = readExistingRootKey(path);
  if (existing !== undefined) return existing;
  const key = randomBytes(32);
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return key;
}

/** One key for the line MACs, apart from the one that seals secrets. */
function macKeyOf(rootKey: Buffer): Buffer {
  return createHmac('sha256', rootKey).update('byok-kms-sim state file lines').digest();
}

/** Each line's MAC covers the previous MAC too, so lines cannot be reordered, dropped inside or mixed between files. */
function lineMac(macKey: Buffer, previous: Buffer, json: Buffer): Buffer {
  return createHmac('sha256', macKey).update(previous).update(json).digest();
}

const GENESIS = Buffer.from(`${STATE_FORMAT}\n`, 'utf8');

interface Change {
  keys: Json;
  aliases: Json;
  wrappingKeys: Json;
}

function tampered(stateFile: string, line: number, why: string): ByokError {
  return new ByokError(
    'ERR_INPUT_FILE',
    `${stateFile}: line ${line} ${why}: the state file was changed outside byok-kms-sim or belongs to another root key`,
    {
      hint: `restore ${stateFile} and ${stateFile}.key as byok-kms-sim wrote them, or delete both to start afresh`,
    },
  );
}

/** A state file's bytes from its JSON lines, each MAC chained as byok-kms-sim writes them. */
export function authenticateLines(jsonLines: readonly Buffer[], rootKey: Buffer): Buffer {
  const macKey = macKeyOf(rootKey);
  let previous: Buffer = GENESIS;
  const parts: Buffer[] = [];
  for (const json of jsonLines) {
    previous = lineMac(macKey, previous, json);
    parts.push(json, Buffer.from(`\t${previous.toString('hex')}\n`, 'latin1'));
  }
  return Buffer.concat(parts);
}

/** Splits and authenticates the file's lines; returns each line's JSON bytes, MAC checked, nothing parsed yet. */
export function authenticatedLines(stateFile: string, bytes: Buffer, rootKey: Buffer): Buffer[] {
  const macKey = macKeyOf(rootKey);
  const lines: Buffer[] = [];
  let previous: Buffer = GENESIS;
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    const number = lines.length + 1;
    if (end === -1) throw tampered(stateFile, number, 'is incomplete (no end of line)');
    const line = bytes.subarray(start, end);
    const tab = line.length - MAC_HEX - 1;
    if (tab < 1 || line[tab] !== TAB) throw tampered(stateFile, number, 'carries no MAC');
    // Compared as the exact lowercase hex written, so not even the case of a MAC digit may change.
    const claimed = line.subarray(tab + 1);
    const json = line.subarray(0, tab);
    const expected = lineMac(macKey, previous, json);
    if (!timingSafeEqual(claimed, Buffer.from(expected.toString('hex'), 'latin1')))
      throw tampered(stateFile, number, 'does not authenticate under the root key');
    lines.push(json);
    previous = expected;
    start = end + 1;
  }
  if (lines.length === 0) throw tampered(stateFile, 1, 'is missing (the file is empty)');
  return lines;
}

/** One line's JSON, checked whole: every problem of the line is listed in one error. */
function checkedLine(stateFile: string, json: Buffer, number: number): Json {
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    throw new StateRecordError(`${stateFile}: line ${number} is not JSON`);
  }
  const check = new FieldChecker();
  const line = checkRecord(check, value, '$', number === 1 ? SNAPSHOT_RULES : CHANGE_RULES);
  // The format is checked apart, to name the version a file was written by.
  if (number === 1 && line !== undefined && line.format !== STATE_FORMAT)
    throw new StateRecordError(`${stateFile} is not a ${STATE_FORMAT} state file`);
  if (check.count > 0)
    throw new StateRecordError(
      `${stateFile}: line ${number} holds no state byok-kms-sim can load (${check.count} problem(s)):\n${check.problems.map((p) => `  ${p}`).join('\n')}`,
    );
  return line!;
}

/** Applies one checked line (the snapshot or a change) to the state; null deletes a record. */
function applyLine(state: SimState, codec: RecordCodec, line: Json): void {
  const apply = <T>(records: TrackedMap<T>, section: unknown, load: (record: Json) => T) => {
    for (const [id, raw] of Object.entries((section ?? {}) as Json))
      if (raw === null) records.delete(id);
      else records.set(id, load(raw as Json));
  };
  apply(state.keys, line.keys, (record) => codec.loadKey(record));
  apply(state.aliases, line.aliases, loadAlias);
  apply(state.wrappingKeys, line.wrappingKeys, (record) => codec.loadWrappingKey(record));
}

function oldFormatError(stateFile: string, bytes: Buffer): ByokError | undefined {
  const head = bytes.subarray(0, 64).toString('latin1');
  if (/^\{"format":"byok-kms-sim-state\/[12]"/.test(head))
    return new ByokError(
      'ERR_INPUT_FILE',
      `${stateFile} was written by an older byok-kms-sim whose state file is not authenticated`,
      { hint: 'start from a new --state-file' },
    );
  return undefined;
}

/** Parses a whole state file (authenticated first, then strictly checked) into a state. */
export function parseStateFile(stateFile: string, bytes: Buffer, rootKey: Buffer): SimState {
  const old = oldFormatError(stateFile, bytes);
  if (old !== undefined) throw old;
  const lines = authenticatedLines(stateFile, bytes, rootKey);
  const codec = new RecordCodec(rootKey);
  const first = checkedLine(stateFile, lines[0]!, 1);
  const secrets = codec.openSecrets(first.secrets, `${stateFile}: line 1`);
  const state = new SimState({
    tokenKey: secrets.subarray(0, 32),
    materialIdKey: secrets.subarray(32, 64),
  });
  applyLine(state, codec, first);
  for (let index = 1; index < lines.length; index += 1)
    applyLine(state, codec, checkedLine(stateFile, lines[index]!, index + 1));
  return state;
}

/**
 * The state file: a snapshot line, then one line per request that changed something, each
 * authenticated (HMAC chained over the exact bytes). It is compacted into a new snapshot
 * (temp file, fsync, rename) once the change lines outnumber twice the records, so a write
 * costs what changed, not the size of the state.
 */
export class StateFile {
  readonly path: string;
  readonly #rootKey: Buffer;
  readonly #macKey: Buffer;
  readonly #codec: RecordCodec;
  #fd: number | undefined;
  #previousMac: Buffer = GENESIS;
  #changeLines = 0;

  private constructor(path: string, rootKey: Buffer) {
    this.path = path;
    this.#rootKey = rootKey;
    this.#macKey = macKeyOf(rootKey);
    this.#codec = new RecordCodec(rootKey);
  }

  /** Loads the state at `path` (or starts one) and rewrites it as one fresh snapshot. */
  static open(path: string): { file: StateFile; state: SimState } {
    const rootKey = loadOrCreateRootKey(path);
    const file = new StateFile(path, rootKey);
    const state =
      file.#read() ??
      new SimState({
        tokenKey: randomBytes(32),
        materialIdKey: randomBytes(32),
      });
    file.compact(state);
    return { file, state };
  }

  #read(): SimState | undefined {
    const fd = openIfPresent(this.path);
    if (fd === undefined) return undefined;
    let bytes: Buffer;
    try {
      const size = fstatSync(fd).size;
      if (size > MAX_STATE_FILE_BYTES)
        throw new ByokError(
          'ERR_INPUT_FILE',
          `${this.path} is ${size} bytes, more than the ${MAX_STATE_FILE_BYTES} a state file may have`,
          { hint: 'start from a new --state-file' },
        );
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
    return parseStateFile(this.path, bytes, this.#rootKey);
  }

  #line(json: string): Buffer {
    const bytes = Buffer.from(json, 'utf8');
    const mac = lineMac(this.#macKey, this.#previousMac, bytes);
    this.#previousMac = mac;
    return Buffer.concat([bytes, Buffer.from(`\t${mac.toString('hex')}\n`, 'latin1')]);
  }

  /** Appends what requests changed since the last call; compacts when the log has grown. */
  record(state: SimState): void {
    const change: Change = { keys: {}, aliases: {}, wrappingKeys: {} };
    for (const arn of state.keys.takeTouched()) {
      const key = state.keys.get(arn);
      change.keys[arn] = key === undefined ? null : this.#codec.storeKey(key);
    }
    for (const id of state.aliases.takeTouched())
      change.aliases[id] = state.aliases.get(id) ?? null;
    for (const id of state.wrappingKeys.takeTouched()) {
      const record = state.wrappingKeys.get(id);
      change.wrappingKeys[id] = record === undefined ? null : this.#codec.storeWrappingKey(record);
    }
    // The reads above touched them again: forget that.
    state.keys.takeTouched();
    state.aliases.takeTouched();
    state.wrappingKeys.takeTouched();
    const sections = Object.fromEntries(
      Object.entries(change).filter(([, records]) => Object.keys(records as Json).length > 0),
    );
    if (Object.keys(sections).length === 0) return;
    const records = state.keys.size + state.aliases.size + state.wrappingKeys.size;
    if (this.#changeLines + 1 > Math.max(1000, 2 * records)) {
      this.compact(state);
      return;
    }
    const fd = this.#fd!;
    writeSync(fd, this.#line(JSON.stringify(sections)));
    fdatasyncSync(fd);
    this.#changeLines += 1;
  }

  /** Writes the whole state as a new one-line file and continues appending to it. */
  compact(state: SimState): void {
    this.close();
    this.#previousMac = GENESIS;
    const snapshot = {
      format: STATE_FORMAT,
      secrets: this.#codec.sealSecrets(
        Buffer.concat([state.secrets.tokenKey, state.secrets.materialIdKey]),
      ),
      keys: Object.fromEntries(
        [...state.keys.entries()].map(([arn, key]) => [arn, this.#codec.storeKey(key)]),
      ),
      aliases: Object.fromEntries(state.aliases.entries()),
      wrappingKeys: Object.fromEntries(
        [...state.wrappingKeys.entries()].map(([id, record]) => [
          id,
          this.#codec.storeWrappingKey(record),
        ]),
      ),
    };
    state.keys.takeTouched();
    state.aliases.takeTouched();
    state.wrappingKeys.takeTouched();
    const temp = join(
      dirname(this.path),
      `.${basename(this.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
    );
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, this.#line(JSON.stringify(snapshot)));
      fsyncSync(fd);
      closeSync(fd);
      renameSync(temp, this.path);
    } catch (error) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
      throw error;
    }
    this.#fd = openSync(this.path, 'a');
    this.#changeLines = 0;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
