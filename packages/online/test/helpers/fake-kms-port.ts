import { createHash, generateKeyPairSync } from 'node:crypto';
import { ByokError } from '@byok-ceremony/shared';
import type { KeyDescription, KmsPort } from '../../src/kms/kms-port.js';

interface FakeKey {
  description: KeyDescription;
  imports: number;
}

/** One RSA_2048 wrapping key for every fake parameter set: the unit tests never unwrap. */
const WRAPPING = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
  format: 'der',
  type: 'spki',
});

/**
 * An in-memory KMS port for the operations' unit tests: EXTERNAL keys, parameters, imports that
 * leave a key Enabled with a KeyMaterialId, and a log of every call made.
 */
export class FakeKmsPort implements KmsPort {
  readonly region = 'eu-west-2';
  readonly calls: string[] = [];
  readonly keys = new Map<string, FakeKey>();
  closed = 0;
  /** Called before each ImportKeyMaterial, e.g. to interrupt the run. */
  beforeImport: (keyId: string) => void = () => undefined;
  /** Called after an ImportKeyMaterial took effect: throwing stands for an answer lost on the way. */
  afterImport: (keyId: string) => void = () => undefined;

  createKey: KmsPort['createKey'] = (input) => {
    this.calls.push('CreateKey');
    const keyId = `00000000-0000-4000-8000-${String(this.keys.size + 1).padStart(12, '0')}`;
    const arn = `arn:aws:kms:${this.region}:111122223333:key/${keyId}`;
    this.keys.set(arn, {
      imports: 0,
      description: {
        keyId,
        arn,
        keyState: 'PendingImport',
        origin: 'EXTERNAL',
        keySpec: input.keySpec,
        keyUsage: input.keyUsage,
        description: input.description,
        expirationModel: undefined,
        validTo: undefined,
        currentKeyMaterialId: undefined,
        multiRegion: input.multiRegion,
        multiRegionKeyType: undefined,
        primaryKeyArn: undefined,
        replicaKeyArns: [],
      },
    });
    return Promise.resolve(this.keys.get(arn)!.description);
  };

  replicateKey: KmsPort['replicateKey'] = () =>
    Promise.reject(new ByokError('ERR_KMS', 'the fake KMS has one Region'));

  listAliases: KmsPort['listAliases'] = () => {
    this.calls.push('ListAliases');
    return Promise.resolve([]);
  };

  listResourceTags: KmsPort['listResourceTags'] = (keyId) => {
    this.calls.push('ListResourceTags');
    this.key(keyId);
    return Promise.resolve([]);
  };

  getKeyPolicy: KmsPort['getKeyPolicy'] = (keyId) => {
    this.calls.push('GetKeyPolicy');
    this.key(keyId);
    return Promise.resolve('{"Statement":[]}');
  };

  createAlias: KmsPort['createAlias'] = () => {
    this.calls.push('CreateAlias');
    return Promise.resolve();
  };

  private key(keyId: string): FakeKey {
    const key = [...this.keys.values()].find(
      (k) => k.description.arn === keyId || k.description.keyId === keyId,
    );
    if (key === undefined) throw new ByokError('ERR_KMS', `NotFoundException: ${keyId}`);
    return key;
  }

  describeKey: KmsPort['describeKey'] = (keyId) => {
    this.calls.push('DescribeKey');
    return Promise.resolve(this.key(keyId).description);
  };

  getParametersForImport: KmsPort['getParametersForImport'] = (keyId) => {
    this.calls.push('GetParametersForImport');
    return Promise.resolve({
      keyArn: this.key(keyId).description.arn,
      publicKey: new Uint8Array(WRAPPING),
      importToken: new TextEncoder().encode(`token for ${keyId}`),
      parametersValidTo: new Date('2026-12-02T08:00:00Z'),
    });
  };

  importKeyMaterial: KmsPort['importKeyMaterial'] = async (input) => {
    await Promise.resolve();
    this.beforeImport(input.keyId);
    this.calls.push('ImportKeyMaterial');
    const key = this.key(input.keyId);
    key.imports += 1;
    const keyMaterialId = createHash('sha256')
      .update(key.description.arn)
      .update(input.encryptedKeyMaterial)
      .digest('hex');
    key.description = {
      ...key.description,
      keyState: 'Enabled',
      currentKeyMaterialId: keyMaterialId,
    };
    this.afterImport(input.keyId);
    return { keyId: key.description.arn, keyMaterialId };
  };

  generateMac: KmsPort['generateMac'] = () => {
    this.calls.push('GenerateMac');
    return Promise.resolve(new Uint8Array(32));
  };

  getPublicKey: KmsPort['getPublicKey'] = () => {
    this.calls.push('GetPublicKey');
    return Promise.resolve(new Uint8Array());
  };

  listKeyMaterials: KmsPort['listKeyMaterials'] = (keyId) => {
    this.calls.push('ListKeyRotations');
    const current = this.key(keyId).description.currentKeyMaterialId;
    return Promise.resolve(
      current === undefined
        ? []
        : [
            {
              keyMaterialId: current,
              keyMaterialState: 'CURRENT',
              importState: 'IMPORTED',
              expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
              validTo: undefined,
              rotationDate: undefined,
              rotationType: undefined,
              description: undefined,
            },
          ],
    );
  };

  rotateKeyOnDemand: KmsPort['rotateKeyOnDemand'] = () => {
    this.calls.push('RotateKeyOnDemand');
    return Promise.resolve();
  };

  deleteImportedKeyMaterial: KmsPort['deleteImportedKeyMaterial'] = (keyId, keyMaterialId) => {
    this.calls.push('DeleteImportedKeyMaterial');
    const key = this.key(keyId);
    key.description = { ...key.description, keyState: 'PendingImport' };
    return Promise.resolve({
      keyMaterialId: keyMaterialId ?? key.description.currentKeyMaterialId,
    });
  };

  listKeys: KmsPort['listKeys'] = () =>
    Promise.resolve(
      [...this.keys.values()].map((k) => ({ keyId: k.description.keyId, arn: k.description.arn })),
    );

  close(): void {
    this.closed += 1;
  }
}
