import { randomBytes } from 'node:crypto';
import {
  closeSync,
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

const FORMAT = 'byok-kms-sim-state/1';

/** The root key beside the state file: created once, 0600, exclusively. */
export function loadOrCreateRootKey(stateFile: string): Buffer {
  const path = `${stateFile}.key`;
  try {
    const key = readFileSync(path);
    if (key.length !== 32) throw new Error(`${path} is not a 32-byte root key`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
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
  const box = (bytes: Buffer): Sealed => seal(rootKey, bytes).toString('base64');
  const stored: StoredState = {
    format: FORMAT,
    secrets: box(Buffer.concat([state.secrets.tokenKey, state.secrets.materialIdKey])),
    keys: [...state.keys.values()].map((key) => ({
      ...key,
      materials: key.materials.map(({ material, ...rest }) => ({
        ...rest,
        ...(material === undefined ? {} : { material: box(material) }),
      })),
    })),
    aliases: [...state.aliases.values()],
    wrappingKeys: [...state.wrappingKeys.values()].map(({ privateKeyDer, ...rest }) => ({
      ...rest,
      privateKeyDer: box(privateKeyDer),
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
  if (stored.format !== FORMAT) throw new Error(`${stateFile} is not a byok-kms-sim state file`);
  const unbox = (sealed: Sealed): Buffer => open(rootKey, Buffer.from(sealed, 'base64'));
  const secrets = unbox(stored.secrets);
  const state = new SimState({
    tokenKey: secrets.subarray(0, 32),
    materialIdKey: secrets.subarray(32, 64),
  });
  for (const key of stored.keys) {
    state.keys.set(key.arn, {
      ...key,
      materials: key.materials.map(({ material, ...rest }) => ({
        ...rest,
        ...(material === undefined ? {} : { material: unbox(material) }),
      })),
    });
  }
  for (const alias of stored.aliases) state.aliases.set(`${alias.region}:${alias.name}`, alias);
  for (const wrapping of stored.wrappingKeys) {
    state.wrappingKeys.set(wrapping.tokenId, {
      ...wrapping,
      privateKeyDer: unbox(wrapping.privateKeyDer),
    });
  }
  return state;
}
