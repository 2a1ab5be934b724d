import type { InputFileKind } from '@byok-ceremony/node-io';
import {
  ByokError,
  type AuditBackupRecord,
  type ImportRequestBundle,
  type KeySpec,
  type MaterialSource as MaterialOrigin,
} from '@byok-ceremony/shared';
import { loadMaterial } from './load-material.js';
import type { TokenMaterialSource } from './token-material.js';
import type { MaterialReady } from './wrap-request.js';

/**
 * Where wrap's material comes from. Every kind is keyed by material group, so that recovering
 * from backups or combining components only adds a way to fill the same map.
 */
export type MaterialSource =
  /** Fresh material per group, from the generator port. */
  | { readonly kind: 'generate' }
  /** `--material-file`: one file for a request with exactly one material group. */
  | { readonly kind: 'file'; readonly path: string }
  /** One file per material group. */
  | { readonly kind: 'files'; readonly paths: ReadonlyMap<string, string> }
  /** Material the caller already holds (recovered or combined), per group; zeroed after wrapping. */
  | {
      readonly kind: 'supplied';
      readonly origin: MaterialOrigin;
      readonly materials: ReadonlyMap<string, Buffer>;
    }
  /**
   * Material rebuilt once the request is confirmed (a material set, Shamir shares, the age file,
   * custodians' components), matched to the request's groups; its backup record goes on record.
   */
  | {
      readonly kind: 'recovered';
      readonly origin: MaterialOrigin;
      readonly recover: (request: ImportRequestBundle) => Promise<RecoveredMaterials>;
      /**
       * Refuses, before any prompt, what needs no code: a file that cannot be read, shares that
       * do not belong together or are too few, a passphrase file that cannot be used. Whatever
       * secret it reads is zeroed at once: the material is made only after the codes.
       */
      readonly assertUsable?: () => Promise<void>;
    }
  /** `--hsm`: material a PKCS#11 token generates or holds; its plaintext never comes here. */
  | TokenMaterialSource;

/** What a `recovered` source gives: material per group of the request, and where it came from. */
export interface RecoveredMaterials {
  readonly materials: ReadonlyMap<string, Buffer>;
  readonly backup: AuditBackupRecord;
}

export interface MaterialPorts {
  readonly readFile: (path: string, what: InputFileKind) => Promise<Uint8Array>;
  /** Fresh material for a key spec (node:crypto's CSPRNG and key generation). */
  readonly generate: (keySpec: KeySpec) => Buffer;
}

function usage(message: string, hint: string): ByokError {
  return new ByokError('ERR_USAGE', message, { hint });
}

/** Refuses, before any prompt, a source that does not cover exactly the request's groups. */
export function assertSourceFits(source: MaterialSource, groups: readonly string[]): void {
  if (source.kind === 'file' && groups.length !== 1)
    throw usage(
      `--material-file gives one material, but the request has ${groups.length} material groups`,
      'Leave out --material-file to generate material for each group, or prepare a request for the one key (or one multi-Region key) this material belongs to.',
    );
  if (source.kind === 'files' || source.kind === 'supplied') {
    const given = [...(source.kind === 'files' ? source.paths : source.materials).keys()];
    const missing = groups.filter((g) => !given.includes(g));
    const extra = given.filter((g) => !groups.includes(g));
    if (missing.length > 0 || extra.length > 0)
      throw usage(
        `the material given does not match the request's groups (missing: ${missing.join(', ') || 'none'}; not in the request: ${extra.join(', ') || 'none'})`,
        'Give exactly one material per material group of the request.',
      );
  }
}

async function loadFile(path: string, keySpec: KeySpec, ports: MaterialPorts): Promise<Buffer> {
  const bytes = await ports.readFile(path, 'material file');
  try {
    return loadMaterial(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), keySpec);
  } finally {
    bytes.fill(0);
  }
}

/** The source's refusals that need no code (see `assertUsable`); a material file is read and zeroed. */
export async function assertSourceUsable(
  source: MaterialSource,
  ports: MaterialPorts,
): Promise<void> {
  if (source.kind === 'recovered') await source.assertUsable?.();
  const paths =
    source.kind === 'file'
      ? [source.path]
      : source.kind === 'files'
        ? [...source.paths.values()]
        : [];
  for (const path of paths) (await ports.readFile(path, 'material file')).fill(0);
}

/**
 * A `recovered` source rebuilt for the confirmed request, as a `supplied` one that must fit the
 * request's groups exactly (zeroed if it does not); other sources are returned as they are.
 */
export async function recoverSource(
  source: MaterialSource,
  request: ImportRequestBundle,
  groups: readonly string[],
  onBackup: (backup: AuditBackupRecord) => void,
): Promise<Exclude<MaterialSource, { kind: 'recovered' }>> {
  if (source.kind !== 'recovered') return source;
  const recovered = await source.recover(request);
  onBackup(recovered.backup);
  const supplied = {
    kind: 'supplied',
    origin: source.origin,
    materials: recovered.materials,
  } as const;
  try {
    assertSourceFits(supplied, groups);
  } catch (error) {
    for (const bytes of recovered.materials.values()) bytes.fill(0);
    throw error;
  }
  return supplied;
}

/** The plaintext of every group; on failure, whatever was already made is zeroed. */
export async function resolveMaterials(
  source: Exclude<MaterialSource, { kind: 'recovered' } | TokenMaterialSource>,
  groups: ReadonlyMap<string, KeySpec>,
  ports: MaterialPorts,
): Promise<Map<string, MaterialReady>> {
  const ready = new Map<string, MaterialReady>();
  const origin: MaterialOrigin =
    source.kind === 'generate' ? 'generated' : source.kind === 'supplied' ? source.origin : 'file';
  try {
    for (const [materialGroup, keySpec] of groups) {
      let bytes: Buffer;
      switch (source.kind) {
        case 'generate':
          bytes = ports.generate(keySpec);
          break;
        case 'file':
          bytes = await loadFile(source.path, keySpec, ports);
          break;
        case 'files':
          bytes = await loadFile(source.paths.get(materialGroup)!, keySpec, ports);
          break;
        case 'supplied':
          bytes = loadMaterial(source.materials.get(materialGroup)!, keySpec);
          break;
      }
      ready.set(materialGroup, { materialGroup, keySpec, bytes, origin });
    }
  } catch (error) {
    for (const material of ready.values()) material.bytes.fill(0);
    throw error;
  } finally {
    if (source.kind === 'supplied') for (const bytes of source.materials.values()) bytes.fill(0);
  }
  return ready;
}
