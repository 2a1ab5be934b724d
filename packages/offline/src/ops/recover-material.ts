import {
  ByokError,
  parseMaterialSet,
  zeroMaterialSet,
  type AuditBackupRecord,
  type ImportRequestBundle,
  type MaterialSet,
} from '@byok-ceremony/shared';
import type { InputFileKind } from '@byok-ceremony/node-io';
import { checkMaterialSet } from './check-material-set.js';
import { assertSharesCombine, combineShares, type ShareInput } from './combine-shares.js';
import { decryptMaterialSet, parseAgeIdentityFile, type AgeKey } from './decrypt-material-set.js';
import type { MaterialSource, RecoveredMaterials } from './material-source.js';
import { matchMaterialSet } from './match-material-set.js';
import { sharesFromQrImages, type QrImageCodes } from './shares-from-qr-images.js';

export interface RecoverPorts {
  /** A secret file: regular, private to its owner (no group or other bits), within its kind's limit. */
  readonly readPrivate: (path: string, what: InputFileKind) => Promise<Buffer>;
  readonly readFile: (path: string, what: InputFileKind) => Promise<Uint8Array>;
  /** The age file's passphrase, asked only after the request is confirmed. */
  readonly passphrase: () => Promise<string>;
  /** --shares: the files named, folders expanded, in order. */
  readonly listShareFiles: (paths: readonly string[]) => Promise<string[]>;
  /** Whether a share file is an image of a share page (else the share's text). */
  readonly isShareImage: (path: string) => boolean;
  /** The texts of every QR code in a PNG or JPEG image. */
  readonly qrCodesIn: (bytes: Uint8Array, name: string) => Promise<string[]>;
  /** Refuses, before any prompt, a passphrase that cannot be had: its file unreadable, no terminal. */
  readonly assertPassphraseUsable: () => Promise<void>;
}

function setRecord(
  set: MaterialSet,
  schemes: string[],
  extra: Partial<AuditBackupRecord> = {},
): AuditBackupRecord {
  return {
    schemes,
    setDigest: null,
    splitId: null,
    shares: [],
    files: [],
    covers: set.groups.map((g) => ({
      materialGroup: g.materialGroup,
      keySpec: g.keySpec,
      kcv: g.kcv,
    })),
    ...extra,
  };
}

/** A checked material set, matched group by group to the request; the groups not asked for are zeroed. */
function fromSet(
  request: ImportRequestBundle,
  parsed: MaterialSet,
  backup: AuditBackupRecord,
): RecoveredMaterials {
  try {
    const set = checkMaterialSet(parsed);
    const matched = matchMaterialSet(request, set);
    const used = new Set([...matched.values()]);
    for (const g of set.groups) if (!used.has(g)) g.material.fill(0);
    const materials = new Map(
      [...matched].map(([group, g]) => [
        group,
        Buffer.from(g.material.buffer, g.material.byteOffset, g.material.byteLength),
      ]),
    );
    return { materials, backup };
  } catch (error) {
    zeroMaterialSet(parsed);
    throw error;
  }
}

export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ByokError('ERR_MATERIAL_SET_INVALID', `${what} is not UTF-8 text`, {
      hint: 'Give the file as the tool wrote it.',
    });
  }
}

/** `wrap --material-set FILE`: a set the operators hold in a private file (the age-decrypted form). */
export function materialSetFileSource(path: string, ports: RecoverPorts): MaterialSource {
  return {
    kind: 'recovered',
    origin: 'file',
    async recover(request) {
      const bytes = await ports.readPrivate(path, 'material set');
      let set: MaterialSet;
      try {
        set = parseMaterialSet(decodeUtf8(bytes, 'the material set'));
      } finally {
        bytes.fill(0);
      }
      return fromSet(request, set, setRecord(set, ['material-set']));
    },
    async assertUsable() {
      (await ports.readPrivate(path, 'material set')).fill(0);
    },
  };
}

/**
 * The shares' texts: a text file as it is; a run of images of share pages (scans, photographs)
 * through their QR codes, each share rebuilt from the parts its page printed.
 */
async function readShares(paths: readonly string[], ports: RecoverPorts): Promise<ShareInput[]> {
  const inputs: ShareInput[] = [];
  let images: QrImageCodes[] = [];
  const endImages = (): void => {
    if (images.length > 0) inputs.push(...sharesFromQrImages(images));
    images = [];
  };
  for (const path of await ports.listShareFiles(paths)) {
    const image = ports.isShareImage(path);
    if (!image) endImages();
    const bytes = await ports.readPrivate(path, image ? 'share image' : 'share file');
    try {
      if (image) images.push({ source: path, codes: await ports.qrCodesIn(bytes, path) });
      else inputs.push({ source: path, text: bytes.toString('latin1') });
    } finally {
      bytes.fill(0);
    }
  }
  endImages();
  return inputs;
}

async function readIdentity(identity: string, ports: RecoverPorts): Promise<AgeKey> {
  const bytes = await ports.readPrivate(identity, 'age identity file');
  try {
    return {
      kind: 'identities',
      identities: parseAgeIdentityFile(decodeUtf8(bytes, identity), identity),
    };
  } finally {
    bytes.fill(0);
  }
}

/**
 * `recover --shares PATH...`: the set rebuilt in memory from at least the threshold of shares,
 * each a share file or images of its printed page.
 */
export function sharesSource(paths: readonly string[], ports: RecoverPorts): MaterialSource {
  return {
    kind: 'recovered',
    origin: 'file',
    async recover(request) {
      const inputs = await readShares(paths, ports);
      const { set, setDigest, splitId, shares } = await combineShares(inputs);
      return fromSet(
        request,
        set,
        setRecord(set, ['recover:shamir'], { setDigest, splitId, shares }),
      );
    },
    async assertUsable() {
      assertSharesCombine(await readShares(paths, ports));
    },
  };
}

/** `recover --age FILE [--identity FILE]`: the age file decrypted in memory. */
export function ageSource(
  path: string,
  identity: string | undefined,
  ports: RecoverPorts,
): MaterialSource {
  return {
    kind: 'recovered',
    origin: 'file',
    async recover(request) {
      // readFile refuses a file over the 'age file' limit before reading it.
      const file = await ports.readFile(path, 'age file');
      const key: AgeKey =
        identity !== undefined
          ? await readIdentity(identity, ports)
          : { kind: 'passphrase', passphrase: await ports.passphrase() };
      const set = await decryptMaterialSet(file, key);
      return fromSet(request, set, setRecord(set, ['recover:age']));
    },
    async assertUsable() {
      await ports.readFile(path, 'age file');
      if (identity !== undefined) await readIdentity(identity, ports);
      else await ports.assertPassphraseUsable();
    },
  };
}
