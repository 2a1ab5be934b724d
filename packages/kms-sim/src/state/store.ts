import { KmsError, notFound } from '../errors.js';
import { nextRotationDate, rotateWhenDue } from './rotation.js';
import type {
  AliasRecord,
  KeyRecord,
  KeyState,
  MaterialRecord,
  WrappingKeyRecord,
} from './types.js';

/** Secrets the simulator keeps for itself: they never leave it and survive restarts with a state file. */
export interface SimSecrets {
  /** Authenticates and encrypts import tokens. */
  tokenKey: Buffer;
  /** Keys the HMAC that derives KeyMaterialId. */
  materialIdKey: Buffer;
}

const KEY_ID =
  /^(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * A Map that remembers which entries were reached since the last `takeTouched()`: handlers
 * change records they got from it, so a state file only needs to write those again. It also
 * remembers them, apart, since the last `takeReached()`: the clock's work (SimState.tick) only
 * needs to look again at those.
 */
export class TrackedMap<V> extends Map<string, V> {
  readonly #touched = new Set<string>();
  readonly #reached = new Set<string>();

  override get(key: string): V | undefined {
    this.#reach(key);
    return super.get(key);
  }

  override set(key: string, value: V): this {
    this.#reach(key);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.#reach(key);
    return super.delete(key);
  }

  touch(key: string): void {
    this.#reach(key);
  }

  /** The entry, without counting it as reached: for bookkeeping that changes nothing. */
  peek(key: string): V | undefined {
    return super.get(key);
  }

  #reach(key: string): void {
    this.#touched.add(key);
    this.#reached.add(key);
  }

  /** The entries reached since the last call (present or deleted), and forgets them. */
  takeTouched(): string[] {
    const touched = [...this.#touched];
    this.#touched.clear();
    return touched;
  }

  /** The same, counted apart from takeTouched: for the clock's bookkeeping. */
  takeReached(): string[] {
    const reached = [...this.#reached];
    this.#reached.clear();
    return reached;
  }
}

/** When time next does something to a key on its own, in epoch seconds (Infinity: never). */
function dueOf(key: KeyRecord): number {
  let due = key.deletionDate ?? Number.POSITIVE_INFINITY;
  for (const material of key.materials)
    if (material.material !== undefined && material.validTo !== undefined)
      due = Math.min(due, material.validTo);
  // Only an Enabled key rotates; any change of its state reaches it again (get), so it is looked at then.
  const rotation = nextRotationDate(key);
  if (rotation !== undefined && keyStateOf(key) === 'Enabled') due = Math.min(due, rotation);
  return due;
}

/** Everything the simulator knows, transport-free: handlers read and change it. */
export class SimState {
  readonly keys = new TrackedMap<KeyRecord>();
  readonly aliases = new TrackedMap<AliasRecord>();
  readonly wrappingKeys = new TrackedMap<WrappingKeyRecord>();
  readonly secrets: SimSecrets;
  /**
   * The earliest time any key or wrapping key may be due (expiry, deletion, rotation), as of
   * what tick last saw: never later than the truth, sometimes earlier (then tick looks at all
   * and learns better). -Infinity until the first tick.
   */
  #dueBy = Number.NEGATIVE_INFINITY;

  constructor(secrets: SimSecrets) {
    this.secrets = secrets;
  }

  static arnOf(region: string, account: string, keyId: string): string {
    return `arn:aws:kms:${region}:${account}:key/${keyId}`;
  }

  /**
   * Applies what time does on its own: expired material goes, keys past their deletion date go,
   * automatic rotations that fell due happen. Runs before every request and when the clock moves.
   * Returns whether it changed anything, so that even a read-only request then saves the state.
   */
  tick(nowSeconds: number): boolean {
    // Per request only the records reached since the last tick are looked at again, so a
    // request costs the same whatever the number of keys held; all of them only once one is due.
    for (const arn of this.keys.takeReached()) {
      const key = this.keys.peek(arn);
      if (key !== undefined) this.#dueBy = Math.min(this.#dueBy, dueOf(key));
    }
    for (const id of this.wrappingKeys.takeReached()) {
      const wrapping = this.wrappingKeys.peek(id);
      if (wrapping !== undefined) this.#dueBy = Math.min(this.#dueBy, wrapping.expiresAt);
    }
    if (nowSeconds < this.#dueBy) return false;
    const changed = this.#tickAll(nowSeconds);
    let dueBy = Number.POSITIVE_INFINITY;
    for (const key of this.keys.values()) dueBy = Math.min(dueBy, dueOf(key));
    for (const wrapping of this.wrappingKeys.values()) dueBy = Math.min(dueBy, wrapping.expiresAt);
    this.#dueBy = dueBy;
    this.keys.takeReached();
    this.wrappingKeys.takeReached();
    return changed;
  }

  #tickAll(nowSeconds: number): boolean {
    let changed = false;
    for (const [arn, key] of this.keys) {
      if (key.deletionDate !== undefined && key.deletionDate <= nowSeconds) {
        changed = true;
        this.keys.delete(arn);
        for (const [aliasKey, alias] of this.aliases) {
          if (alias.region === key.region && alias.targetKeyId === key.keyId) {
            this.aliases.delete(aliasKey);
          }
        }
        continue;
      }
      for (const material of key.materials) {
        if (
          material.material !== undefined &&
          material.validTo !== undefined &&
          material.validTo <= nowSeconds
        ) {
          material.material.fill(0);
          delete material.material;
          this.keys.touch(arn);
          changed = true;
        }
      }
      // KMS rotates an Enabled key only; a disabled one catches up when enabled again (EnableKey).
      if (key.automaticRotation !== undefined && keyStateOf(key) === 'Enabled') {
        for (const rotated of rotateWhenDue(
          this.keys,
          this.secrets.materialIdKey,
          key,
          nowSeconds,
        )) {
          this.keys.touch(rotated);
          changed = true;
        }
      }
    }
    for (const [tokenId, wrapping] of this.wrappingKeys) {
      if (wrapping.expiresAt <= nowSeconds) {
        wrapping.privateKeyDer.fill(0);
        this.wrappingKeys.delete(tokenId);
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Finds a key as KMS does from a key id, key ARN and, where the operation accepts them,
   * an alias name or alias ARN.
   */
  resolveKey(
    keyIdInput: string,
    scope: { region: string; account: string },
    options: { aliases: boolean },
  ): KeyRecord {
    let region = scope.region;
    let keyId = keyIdInput;
    if (keyIdInput.startsWith('arn:')) {
      const match = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/.exec(keyIdInput);
      if (match === null) {
        throw new KmsError('InvalidArnException', `ARN ${keyIdInput} is not a valid KMS ARN`);
      }
      const [, arnRegion, arnAccount, kind, rest] = match as unknown as [
        string,
        string,
        string,
        string,
        string,
      ];
      if (arnAccount !== scope.account) throw notFound(`Key '${keyIdInput}' does not exist`);
      // KMS in one Region knows only that Region's keys; a replica is reached in its own Region.
      if (arnRegion !== scope.region) throw notFound(`Invalid arn ${arnRegion}`);
      region = arnRegion;
      if (kind === 'alias') {
        if (!options.aliases) throw notFound(`Invalid keyId '${keyIdInput}'`);
        return this.resolveAlias(`alias/${rest}`, region, scope.account, keyIdInput);
      }
      keyId = rest;
    } else if (keyIdInput.startsWith('alias/')) {
      if (!options.aliases) throw notFound(`Invalid keyId '${keyIdInput}'`);
      return this.resolveAlias(keyIdInput, region, scope.account, keyIdInput);
    }
    if (!KEY_ID.test(keyId)) throw notFound(`Invalid keyId '${keyIdInput}'`);
    const key = this.keys.get(SimState.arnOf(region, scope.account, keyId));
    if (key === undefined) {
      throw notFound(`Key '${SimState.arnOf(region, scope.account, keyId)}' does not exist`);
    }
    return key;
  }

  private resolveAlias(name: string, region: string, account: string, shown: string): KeyRecord {
    const alias = this.aliases.get(`${region}:${name}`);
    if (alias === undefined) {
      throw notFound(`Alias arn:aws:kms:${region}:${account}:${name} is not found.`);
    }
    const key = this.keys.get(SimState.arnOf(region, account, alias.targetKeyId));
    if (key === undefined) throw notFound(`Key for alias '${shown}' does not exist`);
    return key;
  }
}

/** Materials that count for the key state: all except new material still waiting for rotation. */
function activeMaterials(key: KeyRecord): MaterialRecord[] {
  return key.materials.filter((m) => m.state === 'CURRENT' || m.state === 'NON_CURRENT');
}

export function currentMaterial(key: KeyRecord): MaterialRecord | undefined {
  return key.materials.find((m) => m.state === 'CURRENT');
}

export function keyStateOf(key: KeyRecord): KeyState {
  if (key.deletionDate !== undefined) return 'PendingDeletion';
  if (key.origin === 'EXTERNAL') {
    const active = activeMaterials(key);
    if (active.length === 0 || active.some((m) => m.material === undefined)) return 'PendingImport';
  }
  return key.enabled ? 'Enabled' : 'Disabled';
}

/** Refuses a cryptographic operation on a key that is not Enabled, with KMS's exception. */
export function requireUsable(key: KeyRecord): void {
  const state = keyStateOf(key);
  if (state === 'Enabled') return;
  if (state === 'Disabled') throw new KmsError('DisabledException', `${key.arn} is disabled.`);
  throw new KmsError(
    'KMSInvalidStateException',
    `${key.arn} is pending ${state === 'PendingImport' ? 'import' : 'deletion'}.`,
  );
}
