import { describe, expect, it } from 'vitest';
import { factsOfFailure } from '@byok-ceremony/node-io';
import { ByokError } from '@byok-ceremony/shared';
import type { KeyDescription, KeyMaterialEntry, KmsPort } from '../../src/kms/kms-port.js';
import { rotateCeremony } from '../../src/ops/rotate-ceremony.js';

const ARN = 'arn:aws:kms:eu-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab';
const REPLICA = 'arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab';
const OLD = 'a'.repeat(64);
const NEW = 'b'.repeat(64);
const WAIT = { sleep: () => Promise.resolve(), budgetMs: 10 };

/** A primary with one replica, NEW pending rotation in both; RotateKeyOnDemand as given. */
function kmsRotating(rotateKeyOnDemand: () => Promise<void>) {
  let current = OLD;
  const kms = {
    region: 'eu-west-2',
    describeKey: (keyId: string) =>
      Promise.resolve({
        arn: keyId,
        keyState: 'Enabled',
        currentKeyMaterialId: current,
        multiRegionKeyType: keyId === ARN ? 'PRIMARY' : 'REPLICA',
        replicaKeyArns: keyId === ARN ? [REPLICA] : [],
      } as Partial<KeyDescription> as KeyDescription),
    listKeyMaterials: () =>
      Promise.resolve([
        { keyMaterialId: OLD, keyMaterialState: 'CURRENT', importState: 'IMPORTED' },
        { keyMaterialId: NEW, keyMaterialState: 'PENDING_ROTATION', importState: 'IMPORTED' },
      ] as KeyMaterialEntry[]),
    rotateKeyOnDemand: async () => {
      await rotateKeyOnDemand();
      current = NEW;
    },
    close: () => undefined,
  } as Partial<KmsPort> as KmsPort;
  return { openKms: () => Promise.resolve(kms), wait: WAIT };
}

describe('byok-online rotate: what the audit entry names', () => {
  it('names the key, its replicas and the pending material before RotateKeyOnDemand goes out', async () => {
    // A 500 or a reset: the rotation may have happened.
    const ports = kmsRotating(() =>
      Promise.reject(new ByokError('ERR_KMS', 'KMS RotateKeyOnDemand: no answer')),
    );
    const attempt = rotateCeremony({ keyIds: [ARN] }, ports);
    await expect(attempt).rejects.toThrow('no answer');
    const facts = factsOfFailure(await attempt.catch((e: unknown) => e));
    // The error entry shows which keys, and which material, were being rotated.
    expect(facts.keys).toEqual([
      { keyArn: ARN, keyMaterialId: NEW },
      { keyArn: REPLICA, keyMaterialId: NEW },
    ]);
  });

  it('after the rotation: the same keys once each, the new material current and the keys Enabled', async () => {
    const { result: rotated, facts } = await rotateCeremony(
      { keyIds: [ARN] },
      kmsRotating(() => Promise.resolve()),
    );
    expect(rotated).toEqual([{ keyArn: ARN, keyMaterialId: NEW, replicaArns: [REPLICA] }]);
    expect(facts.keys).toEqual([
      { keyArn: ARN, keyMaterialId: NEW, keyState: 'Enabled' },
      { keyArn: REPLICA, keyMaterialId: NEW, keyState: 'Enabled' },
    ]);
  });
});
