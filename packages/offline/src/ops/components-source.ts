import {
  ByokError,
  parseComponentFile,
  parseComponentHex,
  type AuditBackupRecord,
  type ComponentFile,
  type KeySpec,
} from '@byok-ceremony/shared';
import { combineComponents, type ComponentEntry } from './combine-components.js';
import type { MaterialSource } from './material-source.js';
import { nodeSha256 } from './node-sha256.js';

export interface ComponentsPorts {
  readonly readPrivate: (path: string, what: 'component file') => Promise<Buffer>;
  /** One line typed without echo (`what`: for errors, e.g. `the component`), as bytes the caller zeroes. */
  readonly askHidden: (prompt: string, what: string) => Promise<Buffer>;
  /** One line for the custodians (stderr). */
  readonly say: (line: string) => void;
}

function invalid(message: string, hint: string): ByokError {
  return new ByokError('ERR_COMPONENT_INVALID', message, { hint });
}

async function readComponentFiles(
  paths: readonly string[],
  ports: ComponentsPorts,
): Promise<{ path: string; file: ComponentFile }[]> {
  return Promise.all(
    paths.map(async (path) => {
      const bytes = await ports.readPrivate(path, 'component file');
      try {
        return { path, file: parseComponentFile(bytes.toString('latin1'), nodeSha256) };
      } catch (error) {
        if (error instanceof ByokError)
          throw new ByokError(
            error.code,
            `${path}: ${error.message}`,
            error.hint === undefined ? {} : { hint: error.hint },
          );
        throw error;
      } finally {
        bytes.fill(0);
      }
    }),
  );
}

function fileEntries(
  group: string,
  keySpec: KeySpec,
  count: number,
  mine: readonly { path: string; file: ComponentFile }[],
): ComponentEntry[] {
  if (
    mine.length !== count ||
    mine.some((f) => f.file.count !== count || f.file.keySpec !== keySpec)
  )
    throw invalid(
      `material group ${group} (${keySpec}) needs ${count} component files of ${count}, got ${mine.length}`,
      'Give one --component-file per custodian for each group, as components new wrote them.',
    );
  if (new Set(mine.map((f) => f.file.index)).size !== mine.length)
    throw invalid(
      `material group ${group}: the same component is given twice`,
      'Each custodian gives their own component.',
    );
  if (mine.some((f) => f.file.keyKcv !== mine[0]!.file.keyKcv))
    throw invalid(
      `material group ${group}: the component files are of different keys (key KCVs differ)`,
      "Check the key KCV on each custodian's form.",
    );
  return mine.map((f) => ({
    custodian: `component ${f.file.index} (${f.path})`,
    component: f.file.component,
    kcv: f.file.componentKcv,
  }));
}

const KCV_TYPED = /^[0-9A-F]{6}$/;

/**
 * Each custodian's component and its own KCV, then the key KCV printed on every form of the key,
 * typed once by the custodians together: the one value that ties the components to this key.
 */
async function typedEntries(
  group: string,
  keySpec: KeySpec,
  count: number,
  ports: ComponentsPorts,
): Promise<{ entries: ComponentEntry[]; keyKcv: string }> {
  const entries: ComponentEntry[] = [];
  // A component typed but not yet an entry (its KCV still to come), zeroed too on failure.
  let pending: Uint8Array | undefined;
  try {
    for (let i = 1; i <= count; i++) {
      const typed = await ports.askHidden(
        `Custodian ${i} of ${count}, type your component for ${group} (${keySpec}), hex: `,
        'the component',
      );
      pending = parseComponentHex(typed.toString('latin1'));
      typed.fill(0);
      if (pending === undefined)
        throw invalid(
          `custodian ${i}'s component for ${group} is not hex`,
          'Type the hex digits of the form; spaces are ignored.',
        );
      const kcv = await ports.askHidden(
        `Custodian ${i}, type your component's KCV (on your form): `,
        "the component's KCV",
      );
      entries.push({
        custodian: `custodian ${i}`,
        component: pending,
        kcv: kcv.toString('latin1').trim(),
      });
      pending = undefined;
      kcv.fill(0);
    }
    const typedKeyKcv = await ports.askHidden(
      `All custodians of ${group}: type the key KCV from the forms (key-kcv, the same on every form): `,
      'the key KCV',
    );
    const keyKcv = typedKeyKcv.toString('latin1').trim().toUpperCase();
    typedKeyKcv.fill(0);
    if (!KCV_TYPED.test(keyKcv))
      throw invalid(
        `the key KCV typed for ${group} is not six hex digits`,
        'Type the key-kcv line of the forms (six hex digits); nothing was combined.',
      );
    return { entries, keyKcv };
  } catch (error) {
    pending?.fill(0);
    for (const e of entries) e.component.fill(0);
    throw error;
  }
}

/**
 * `wrap --components N`: each group's material combined (XOR, NIST SP 800-133) from N custodians'
 * components, typed hidden or read from `--component-file`s, each checked by its own KCV first,
 * and the combined key by the forms' key KCV (typed by the custodians, or read from the files).
 */
export function componentsSource(
  count: number,
  files: readonly string[],
  ports: ComponentsPorts,
): MaterialSource {
  return {
    kind: 'recovered',
    origin: 'components',
    async assertUsable() {
      for (const { file } of await readComponentFiles(files, ports)) file.component.fill(0);
    },
    async recover(request) {
      const groups = [...new Map(request.targets.map((t) => [t.materialGroup, t.keySpec]))];
      const read = await readComponentFiles(files, ports);
      const materials = new Map<string, Buffer>();
      try {
        const covers: AuditBackupRecord['covers'][number][] = [];
        for (const [group, keySpec] of groups) {
          const mine = read.filter((f) => f.file.materialGroup === group || groups.length === 1);
          // From files, the forms' key KCV is on each (fileEntries checks they agree).
          const { entries, keyKcv } =
            files.length > 0
              ? { entries: fileEntries(group, keySpec, count, mine), keyKcv: mine[0]!.file.keyKcv }
              : await typedEntries(group, keySpec, count, ports);
          let combined;
          try {
            combined = combineComponents(keySpec, entries, keyKcv);
          } finally {
            for (const e of entries) e.component.fill(0);
          }
          materials.set(group, combined.material);
          covers.push({ materialGroup: group, keySpec, kcv: combined.kcv });
          ports.say(`Components of ${group} combined: key KCV ${combined.kcv}`);
        }
        const backup: AuditBackupRecord = {
          schemes: [`components:${count}`],
          setDigest: null,
          splitId: null,
          shares: [],
          files: [],
          covers,
        };
        return { materials, backup };
      } catch (error) {
        for (const m of materials.values()) m.fill(0);
        throw error;
      } finally {
        for (const f of read) f.file.component.fill(0);
      }
    },
  };
}
