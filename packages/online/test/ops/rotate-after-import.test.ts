import { describe, expect, it } from 'vitest';
import { factsOfFailure } from '@byok-ceremony/node-io';
import type { ImportRequestBundle, ImportTarget } from '@byok-ceremony/shared';
import type { KeyDescription, KeyMaterialEntry, KmsPort } from '../../src/kms/kms-port.js';
import type { ImportedKey } from '../../src/ops/import-wrapped-keys.js';
import { rotateAfterImport } from '../../src/ops/rotate-after-import.js';

const ARN = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OLD = 'a'.repeat(64);
const NEW = 'b'.repeat(64);
const WAIT = { sleep: () => Promise.resolve(), budgetMs: 1_000 };

/** One symmetric key whose materials move as RotateKeyOnDemand moves them. */
function rotatingKms(materials: { id: string; state: string }[]) {
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
const imported = [{ keyArn: ARN, keyMaterialId: NEW, current: false } as ImportedKey];

describe('rotateAfterImport', () => {
  it('rotates new material pending rotation once and puts it on record', async () => {
    const { kms, calls } = rotatingKms([
      { id: OLD, state: 'CURRENT' },
      { id: NEW, state: 'PENDING_ROTATION' },
    ]);
    const { result: outcome, facts } = await rotateAfterImport(kms, request, true, WAIT, imported);
    expect(calls).toEqual(['RotateKeyOnDemand']);
    expect(outcome.rotated.map((r) => r.keyMaterialId)).toEqual([NEW]);
    expect(facts.outputs?.[`rotation:${ARN}`]).toBe(NEW);
  });

  it('a rotation done by a run that stopped before its entry: on record, not sent again', async () => {
    const { kms, calls } = rotatingKms([
      { id: OLD, state: 'NON_CURRENT' },
      { id: NEW, state: 'CURRENT' },
    ]);
    const { result: outcome, facts } = await rotateAfterImport(kms, request, true, WAIT, imported);
    expect(calls).toEqual([]);
    expect(outcome.rotated.map((r) => r.keyMaterialId)).toEqual([NEW]);
    expect(facts.outputs?.[`rotation:${ARN}`]).toBe(NEW);
  });

  it('without --rotate the material is reported pending and KMS is not asked to rotate', async () => {
    const { kms, calls } = rotatingKms([
      { id: OLD, state: 'CURRENT' },
      { id: NEW, state: 'PENDING_ROTATION' },
    ]);
    const { result: outcome, facts } = await rotateAfterImport(kms, request, false, WAIT, imported);
    expect(calls).toEqual([]);
    expect(outcome.pending).toEqual([{ keyArn: ARN, keyMaterialId: NEW }]);
    expect(facts.outputs?.[`rotation:${ARN}`]).toBeUndefined();
  });
});

describe('import --rotate after a resume: only the material this request imported', () => {
  const FOREIGN = 'f'.repeat(64);

  it('does not rotate to a pending material this request did not import', async () => {
    // Ours was deleted since (delete-material --key-material-id) and another one imported.
    const { kms, calls } = rotatingKms([
      { id: OLD, state: 'CURRENT' },
      { id: FOREIGN, state: 'PENDING_ROTATION' },
    ]);
    const attempt = rotateAfterImport(kms, request, true, WAIT, imported);
    await expect(attempt).rejects.toMatchObject({
      code: 'ERR_KEY_NOT_ROTATABLE',
      message: expect.stringContaining(`${FOREIGN} is pending rotation instead`),
    });
    expect(calls).toEqual([]);
    const facts = factsOfFailure(await attempt.catch((e: unknown) => e));
    expect(facts.outputs?.[`rotation:${ARN}`]).toBeUndefined();
  });

  it('says so when the material imported is neither pending nor current', async () => {
    const { kms, calls } = rotatingKms([{ id: OLD, state: 'CURRENT' }]);
    const attempt = rotateAfterImport(kms, request, true, WAIT, imported);
    await expect(attempt).rejects.toMatchObject({
      code: 'ERR_KEY_NOT_ROTATABLE',
      message: expect.stringContaining('neither pending rotation nor current'),
    });
    expect(calls).toEqual([]);
  });
});
