import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  assertImportRequestBundle,
  formatComponentFile,
  type AuditKeyRecord,
  type KeySpec,
} from '@byok-ceremony/shared';
import {
  FactsBuilder,
  parseJsonFile,
  sha256Hex,
  type Ceremony,
  type InputFileKind,
} from '@byok-ceremony/node-io';
import { nodeBundleDigest } from '@byok-ceremony/node-io/key-material';
import { assertNoGeneratedReimport } from './check-expected-kcv.js';
import type { BackupFile } from './make-backups.js';
import { makeComponents } from './make-components.js';
import { nodeSha256 } from './node-sha256.js';

export interface ComponentsNewInput {
  readonly custodians: number;
  readonly outDir: string;
  /** An import request: components for each of its material groups; else one key of keySpec. */
  readonly request: string | undefined;
  readonly keySpec: KeySpec | undefined;
}

export interface ComponentsNewPorts {
  readonly readFile: (path: string, what: InputFileKind) => Promise<Uint8Array>;
  /** Makes the folder if absent; it must be empty. */
  readonly prepareDir: (dir: string) => Promise<void>;
  /** Exclusive create, registered for clean-up on failure. */
  readonly write: (path: string, data: string, mode: number) => Promise<void>;
}

export interface ComponentsNewGroup {
  readonly materialGroup: string;
  readonly keySpec: KeySpec;
  readonly keyKcv: string;
  readonly files: readonly { readonly name: string; readonly kcv: string }[];
}

/** `component-k1-2-of-3.txt`: the form of custodian 2 for group k1. */
export function componentFileName(group: string, index: number, count: number): string {
  return `component-${group}-${index}-of-${count}.txt`;
}

interface Wanted {
  readonly materialGroup: string;
  readonly keySpec: KeySpec;
  readonly keyArns: string[];
}

/** What to make: one key of `keySpec` without a request, else each material group of the request. */
async function wantedOf(
  input: ComponentsNewInput,
  ports: ComponentsNewPorts,
): Promise<Ceremony<{ readonly ceremonyId: string; readonly wanted: readonly Wanted[] }>> {
  if (input.request === undefined)
    return {
      result: {
        ceremonyId: randomUUID(),
        wanted: [
          { materialGroup: 'k1', keySpec: input.keySpec ?? 'SYMMETRIC_DEFAULT', keyArns: [] },
        ],
      },
      facts: {},
    };
  const path = input.request;
  const facts = new FactsBuilder();
  return facts.run(async () => {
    const bytes = await ports.readFile(path, 'import request');
    facts.input('requestFile', bytes);
    const request = parseJsonFile(bytes, path, 'import request');
    assertImportRequestBundle(request);
    facts.add({ inputs: { request: nodeBundleDigest(request) } });
    // New components are new material: KMS takes only the original back into such a key.
    assertNoGeneratedReimport(
      request,
      true,
      "components new makes new material, for first imports and rotations: re-import the original custodians' forms with wrap --components, or its backup; nothing was written.",
    );
    const wanted: Wanted[] = [];
    for (const t of request.targets) {
      const known = wanted.find((w) => w.materialGroup === t.materialGroup);
      if (known === undefined)
        wanted.push({ materialGroup: t.materialGroup, keySpec: t.keySpec, keyArns: [t.keyArn] });
      else known.keyArns.push(t.keyArn);
    }
    return { ceremonyId: request.ceremonyId, wanted };
  });
}

/** One group's material as N components, a custodian's form each; the material zeroed at once. */
function formsOf(
  w: Wanted,
  custodians: number,
  ceremonyId: string,
): { readonly files: BackupFile[]; readonly group: ComponentsNewGroup } {
  const made = makeComponents(w.keySpec, custodians);
  try {
    const files: BackupFile[] = [];
    const forms = made.components.map((c, i) => {
      const name = componentFileName(w.materialGroup, i + 1, custodians);
      const text = formatComponentFile(
        {
          ceremonyId,
          materialGroup: w.materialGroup,
          keySpec: w.keySpec,
          index: i + 1,
          count: custodians,
          componentKcv: c.kcv,
          keyKcv: made.keyKcv,
          component: c.component,
        },
        nodeSha256,
      );
      files.push({ name, bytes: text });
      return { name, kcv: c.kcv };
    });
    return { files, group: { ...w, keyKcv: made.keyKcv, files: forms } };
  } finally {
    made.material.fill(0);
    for (const c of made.components) c.component.fill(0);
  }
}

/** `components new`: material for each key as N XOR components, one 0600 form per custodian. */
export async function componentsNewCeremony(
  input: ComponentsNewInput,
  ports: ComponentsNewPorts,
): Promise<Ceremony<{ readonly written: number; readonly groups: readonly ComponentsNewGroup[] }>> {
  const facts = new FactsBuilder();
  return facts.run(async () => {
    const { ceremonyId, wanted } = facts.take(await wantedOf(input, ports));
    // The folder is made only once the request is known to want new material.
    await ports.prepareDir(input.outDir);
    const files: BackupFile[] = [];
    const groups: ComponentsNewGroup[] = [];
    const keys: AuditKeyRecord[] = [];
    for (const w of wanted) {
      const made = formsOf(w, input.custodians, ceremonyId);
      files.push(...made.files);
      groups.push(made.group);
      keys.push(
        ...w.keyArns.map((keyArn) => ({
          keyArn,
          keySpec: w.keySpec,
          materialGroup: w.materialGroup,
          kcv: made.group.keyKcv,
        })),
      );
      facts.add({ keys: [...keys] });
    }
    for (const f of files) await ports.write(join(input.outDir, f.name), String(f.bytes), 0o600);
    facts.add({
      backup: {
        schemes: [`components:${input.custodians}`],
        setDigest: null,
        splitId: null,
        shares: [],
        files: files.map((f) => ({ name: f.name, sha256: sha256Hex(f.bytes) })),
        covers: groups.map((g) => ({
          materialGroup: g.materialGroup,
          keySpec: g.keySpec,
          kcv: g.keyKcv,
        })),
      },
    });
    return {
      written: files.length,
      groups: groups.map(({ materialGroup, keySpec, keyKcv, files: f }) => ({
        materialGroup,
        keySpec,
        keyKcv,
        files: f,
      })),
    };
  });
}
