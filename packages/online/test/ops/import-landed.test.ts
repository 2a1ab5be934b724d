import { describe, expect, it } from 'vitest';
import type { ImportTarget } from '@byok-ceremony/shared';
import type { KeyDescription, KeyMaterialEntry, KmsPort } from '../../src/kms/kms-port.js';
import { importLanded } from '../../src/ops/import-exactly-once.js';
import { importWaves } from '../../src/ops/import-wrapped-keys.js';

const ARN = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OLD = 'a'.repeat(64);
const NEW = 'b'.repeat(64);

function description(keyState: string, currentKeyMaterialId: string | undefined): KeyDescription {
  return {
    keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
    arn: ARN,
    keyState,
    origin: 'EXTERNAL',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    description: undefined,
    expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    validTo: undefined,
    currentKeyMaterialId,
    multiRegion: false,
    multiRegionKeyType: undefined,
    primaryKeyArn: undefined,
    replicaKeyArns: [],
  };
}

function material(id: string, keyMaterialState: string, importState: string): KeyMaterialEntry {
  return {
    keyMaterialId: id,
    keyMaterialState,
    importState,
    expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    validTo: undefined,
    rotationDate: undefined,
    rotationType: undefined,
    description: undefined,
  };
}

/** A key as KMS shows it after the unanswered ImportKeyMaterial. */
function kmsNow(d: KeyDescription, materials: KeyMaterialEntry[]): KmsPort {
  return {
    describeKey: () => Promise.resolve(d),
    listKeyMaterials: () => Promise.resolve(materials),
  } as Partial<KmsPort> as KmsPort;
}

type Target = Pick<ImportTarget, 'keyArn' | 'importType' | 'keyMaterialId'>;
const first: Target = { keyArn: ARN, importType: 'NEW_KEY_MATERIAL', keyMaterialId: null };
const rotation = first;
const reimport: Target = { keyArn: ARN, importType: 'EXISTING_KEY_MATERIAL', keyMaterialId: OLD };

describe('importLanded: did an unanswered ImportKeyMaterial take effect', () => {
  it('a first import: the key holds an imported current material where it had none', async () => {
    const kms = kmsNow(description('Enabled', NEW), [material(NEW, 'CURRENT', 'IMPORTED')]);
    const landed = await importLanded(kms, first, {
      keyState: 'PendingImport',
      keyMaterialId: null,
    });
    expect(landed?.keyMaterialId).toBe(NEW);
  });

  it('new material of a rotation: landed as the imported material pending rotation', async () => {
    const kms = kmsNow(description('Enabled', OLD), [
      material(OLD, 'CURRENT', 'IMPORTED'),
      material(NEW, 'PENDING_ROTATION', 'IMPORTED'),
    ]);
    const landed = await importLanded(kms, rotation, { keyState: 'Enabled', keyMaterialId: OLD });
    // The current material did not change: only the pending one says the import happened.
    expect(landed?.keyMaterialId).toBe(NEW);
    expect(landed?.described.currentKeyMaterialId).toBe(OLD);
  });

  it('new material of a rotation: not landed while no material is pending', async () => {
    const kms = kmsNow(description('Enabled', OLD), [material(OLD, 'CURRENT', 'IMPORTED')]);
    expect(
      await importLanded(kms, rotation, { keyState: 'Enabled', keyMaterialId: OLD }),
    ).toBeUndefined();
  });

  it('a named re-import: landed once that material is imported, though another still awaits', async () => {
    // Every material must be imported before the key is Enabled again: the key stays PendingImport.
    const kms = kmsNow(description('PendingImport', NEW), [
      material(OLD, 'NON_CURRENT', 'IMPORTED'),
      material(NEW, 'CURRENT', 'PENDING_IMPORT'),
    ]);
    const landed = await importLanded(kms, reimport, {
      keyState: 'PendingImport',
      keyMaterialId: NEW,
    });
    expect(landed?.keyMaterialId).toBe(OLD);
  });

  it('a named re-import: not landed while that material still awaits import', async () => {
    const kms = kmsNow(description('PendingImport', OLD), [
      material(OLD, 'CURRENT', 'PENDING_IMPORT'),
    ]);
    expect(
      await importLanded(kms, reimport, { keyState: 'PendingImport', keyMaterialId: OLD }),
    ).toBeUndefined();
  });

  it('a key that held the same material before cannot tell: not landed, so sent again', async () => {
    const kms = kmsNow(description('Enabled', OLD), [material(OLD, 'CURRENT', 'IMPORTED')]);
    expect(
      await importLanded(kms, reimport, { keyState: 'Enabled', keyMaterialId: OLD }),
    ).toBeUndefined();
  });
});

describe('importWaves', () => {
  const target = (materialGroup: string) => ({ materialGroup }) as ImportTarget;

  it('imports each material group’s first target (a multi-Region primary) before the rest', () => {
    const targets = ['p1', 'p1', 'k2', 'p1', 'k3', 'p4', 'p4'].map(target);
    expect(importWaves(targets)).toEqual([
      [0, 2, 4, 5],
      [1, 3, 6],
    ]);
  });

  it('is one wave when every key has its own material', () => {
    expect(importWaves(['a', 'b', 'c'].map(target))).toEqual([[0, 1, 2]]);
  });
});
