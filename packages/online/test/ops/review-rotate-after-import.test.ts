import { describe, expect, it } from 'vitest';
import { AuditSession } from '@byok-ceremony/node-io';
import type { ImportRequestBundle, ImportTarget } from '@byok-ceremony/shared';
import type { KeyDescription, KeyMaterialEntry, KmsPort } from '../../src/kms/kms-port.js';
import type { ImportedKey } from '../../src/ops/import-wrapped-keys.js';
import { rotateAfterImport } from '../../src/ops/rotate-after-import.js';

const ARN = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OLD = 'a'.repeat(64);
const OURS = 'b'.repeat(64);
const FOREIGN = 'f'.repeat(64);
const WAIT = { sleep: () => Promise.resolve(), budgetMs: 1_000 };

function kmsWith(materials: { id: string; state: string }[]) {
  const calls: string[] = [];
  const current = () => materials.find((m) => m.state === 'CURRENT')?.id;
  const kms = {
    describeKey: () =>
      Promise.resolve({
        arn: ARN,
        keyState: 'Enabled',
        currentKeyMaterialId: current(),
        multiRegionKeyType: undefined,
        replicaKeyArns: [],
      } as Partial<KeyDescription> as KeyDescription),
    listKeyMaterials: () =>
      Promise.resolve(
        materials.map(
          (m) =>
            ({
              keyMaterialId: m.id,
              keyMaterialState: m.state,
              importState: 'IMPORTED',
            }) as KeyMaterialEntry,
        ),
      ),
    rotateKeyOnDemand: () => {
      calls.push('RotateKeyOnDemand');
      for (const m of materials)
        m.state =
          m.state === 'CURRENT'
            ? 'NON_CURRENT'
            : m.state === 'PENDING_ROTATION'
              ? 'CURRENT'
              : m.state;
      return Promise.resolve();
    },
  } as Partial<KmsPort> as KmsPort;
  return { kms, calls };
}

const request = {
  targets: [
    { keyArn: ARN, keySpec: 'SYMMETRIC_DEFAULT', importType: 'NEW_KEY_MATERIAL' } as ImportTarget,
  ],
} as Partial<ImportRequestBundle> as ImportRequestBundle;
// What the journal of an earlier run (import --resume) says this request imported.
const imported = [{ keyArn: ARN, keyMaterialId: OURS, current: false } as ImportedKey];

describe('import --rotate after a resume: which material becomes current', () => {
  it('does not rotate to a pending material this request did not import', async () => {
    // Ours was deleted since (delete-material --key-material-id) and another one imported.
    const { kms, calls } = kmsWith([
      { id: OLD, state: 'CURRENT' },
      { id: FOREIGN, state: 'PENDING_ROTATION' },
    ]);
    const facts = new AuditSession('import', ['ALICE', 'BOB']);
    await rotateAfterImport(kms, request, true, WAIT, facts, imported).catch(() => undefined);
    expect(calls).toEqual([]);
    expect(facts.outputs[`rotation:${ARN}`]).not.toBe(FOREIGN);
  });

  it('--rotate that rotated nothing says so: our material neither pending nor current', async () => {
    const { kms, calls } = kmsWith([{ id: OLD, state: 'CURRENT' }]);
    const facts = new AuditSession('import', ['ALICE', 'BOB']);
    let outcome: Awaited<ReturnType<typeof rotateAfterImport>> | undefined;
    try {
      outcome = await rotateAfterImport(kms, request, true, WAIT, facts, imported);
    } catch {
      outcome = undefined;
    }
    expect(calls).toEqual([]);
    // Today: { rotated: [], pending: [] } and import exits 0 as if the rotation were done.
    const silent =
      outcome !== undefined && outcome.rotated.length === 0 && outcome.pending.length === 0;
    expect(silent).toBe(false);
  });
});
