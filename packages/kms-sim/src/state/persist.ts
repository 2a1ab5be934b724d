import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { open, seal } from '../crypto/secret-box.js';
import { SimState } from './store.js';
import type { AliasRecord, KeyRecord, MaterialRecord, WrappingKeyRecord } from './types.js';

/** Version 2 binds each sealed value to its record and field; version 1 did not. */
const FORMAT = 'byok-kms-sim-state/2';
const FORMAT_UNBOUND = 'byok-kms-sim-state/1';

/** Associated data of a sealed value: the record it belongs to and the field, so none can move. */
function sealedAad(id: string, field: string): Buffer {
  return Buffer.from(JSON.stringify([FORMAT, id, field]), 'utf8');
}

function readExistingRootKey(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if (mode !== 0o600)
      throw new Error(
        `the root key ${path} has mode 0${mode.toString(8)}, not 0600: others may have read the key that seals the state; hint: if nobody else could, restrict it with chmod 600 ${path}, else delete it and the state file and start again`,
      );
    const key = readFileSync(fd);
    if (key.length !== 32) throw new Error(`${path} is not a 32-byte root key`);
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

type Sealed = string;

interface StoredMaterial extends Omit<MaterialRecord, 'material'> {
  material?: Sealed;
}
interface StoredKey extends Omit<KeyRecord, 'materials'> {
  materials: StoredMaterial[];
}
interface StoredWrappingKey extends Omit<WrappingKeyRecord, 'privateKeyDer'> {
  privateKeyDer: Sealed;
}
interface StoredState {
  format: typeof FORMAT;
  secrets: Sealed;
  keys: StoredKey[];
  aliases: AliasRecord[];
  wrappingKeys: StoredWrappingKey[];
}

/** Writes the state atomically (temp file in the same directory, then rename), secrets sealed under the root key. */
export function saveState(stateFile: string, rootKey: Buffer, state: SimState): void {
  const box = (bytes: Buffer, id: string, field: string): Sealed =>
    seal(rootKey, bytes, sealedAad(id, field)).toString('base64');
  const stored: StoredState = {
    format: FORMAT,
    secrets: box(
      Buffer.concat([state.secrets.tokenKey, state.secrets.materialIdKey]),
      'state',
      'secrets',
    ),
    keys: [...state.keys.values()].map((key) => ({
      ...key,
      materials: key.materials.map(({ material, ...rest }) => ({
        ...rest,
        ...(material === undefined
          ? {}
          : { material: box(material, key.arn, `materials.${rest.id}.material`) }),
      })),
    })),
    aliases: [...state.aliases.values()],
    wrappingKeys: [...state.wrappingKeys.values()].map(({ privateKeyDer, ...rest }) => ({
      ...rest,
      privateKeyDer: box(privateKeyDer, rest.tokenId, 'privateKeyDer'),
    })),
  };
  const temp = join(
    dirname(stateFile),
    `.${basename(stateFile)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(stored));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, stateFile);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
}

/** Reads a saved state, or undefined when there is none yet. */
export function loadState(stateFile: string, rootKey: Buffer): SimState | undefined {
  let text: string;
  try {
    text = readFileSync(stateFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const stored = JSON.parse(text) as Omit<StoredState, 'format'> & { format?: unknown };
  if (stored.format === FORMAT_UNBOUND)
    throw new Error(
      `${stateFile} was written by an older byok-kms-sim whose sealed material is not bound to its key; hint: start from a new --state-file`,
    );
  if (stored.format !== FORMAT) throw new Error(`${stateFile} is not a byok-kms-sim state file`);
  const unbox = (sealed: Sealed, id: string, field: string): Buffer => {
    try {
      return open(rootKey, Buffer.from(sealed, 'base64'), sealedAad(id, field));
    } catch {
      throw new Error(
        `${stateFile}: the sealed ${field} of ${id} does not open under the root key: the state file was edited or sealed values were moved between records`,
      );
    }
  };
  const secrets = unbox(stored.secrets, 'state', 'secrets');
  const state = new SimState({
    tokenKey: secrets.subarray(0, 32),
    materialIdKey: secrets.subarray(32, 64),
  });
  for (const key of stored.keys) {
    state.keys.set(key.arn, {
      ...key,
      materials: key.materials.map(({ material, ...rest }) => ({
        ...rest,
        ...(material === undefined
          ? {}
          : { material: unbox(material, key.arn, `materials.${rest.id}.material`) }),
      })),
    });
  }
  for (const alias of stored.aliases) state.aliases.set(`${alias.region}:${alias.name}`, alias);
  for (const wrapping of stored.wrappingKeys) {
    state.wrappingKeys.set(wrapping.tokenId, {
      ...wrapping,
      privateKeyDer: unbox(wrapping.privateKeyDer, wrapping.tokenId, 'privateKeyDer'),
    });
  }
  return state;
}
