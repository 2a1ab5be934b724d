import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListKeyRotationsCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REHEARSAL_CREDENTIALS, startKmsSim, type KmsSim } from '../src/index.js';
import { adminRequest, kmsClient, tempDir } from './helpers.js';

const DAY = 24 * 3600;

let sim: KmsSim;
let kms: KMSClient;
beforeAll(async () => {
  sim = await startKmsSim({ wrappingKeyPool: false, otherRegions: ['us-east-1'] });
  kms = kmsClient(sim);
});
afterAll(async () => {
  kms.destroy();
  await sim.close();
});

/** Moves the simulator's clock through its admin endpoint, as a rehearsal would. */
async function advance(seconds: number): Promise<void> {
  const answer = await adminRequest(sim, '/_sim/clock', {
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  expect(answer.status).toBe(200);
}

async function newKey(input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}) {
  return (await kms.send(new CreateKeyCommand(input))).KeyMetadata!;
}

async function rotations(keyId: string) {
  return (await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations ?? [];
}

async function nextRotation(keyId: string): Promise<number> {
  const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
  expect(status.KeyRotationEnabled).toBe(true);
  return status.NextRotationDate!.getTime() / 1000;
}

const seconds = (date: Date) => date.getTime() / 1000;

describe('automatic key rotation on the simulator clock', () => {
  it('rotates when the clock passes NextRotationDate; ciphertexts made before still decrypt', async () => {
    const key = await newKey();
    const before = seconds(sim.now());
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    const after = seconds(sim.now());
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }));
    expect(status).toMatchObject({
      KeyId: key.Arn,
      KeyRotationEnabled: true,
      RotationPeriodInDays: 90,
    });
    expect(status).not.toHaveProperty('OnDemandRotationStartDate');
    const due = seconds(status.NextRotationDate!);
    expect(due).toBeGreaterThanOrEqual(before + 90 * DAY - 1);
    expect(due).toBeLessThanOrEqual(after + 90 * DAY + 1);

    const plaintext = Buffer.from('made before the rotation');
    const old = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: plaintext }));
    const firstMaterial = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId })))
      .KeyMetadata!.CurrentKeyMaterialId!;

    await advance(due - seconds(sim.now()) - 60);
    expect(await rotations(key.KeyId!)).toEqual([]);
    await advance(120);
    const [rotation, ...more] = await rotations(key.KeyId!);
    expect(more).toEqual([]);
    expect(rotation).toMatchObject({ KeyId: key.Arn, RotationType: 'AUTOMATIC' });
    expect(seconds(rotation!.RotationDate!)).toBeCloseTo(due, 3);
    const current = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!
      .CurrentKeyMaterialId!;
    expect(current).toBe(rotation!.KeyMaterialId);
    expect(current).not.toBe(firstMaterial);

    const all = await kms.send(
      new ListKeyRotationsCommand({ KeyId: key.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
    );
    expect(all.Rotations!.map((m) => [m.KeyMaterialId, m.KeyMaterialState])).toEqual([
      [firstMaterial, 'NON_CURRENT'],
      [current, 'CURRENT'],
    ]);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
    const fresh = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: plaintext }));
    expect(Buffer.from(fresh.CiphertextBlob!)).not.toEqual(Buffer.from(old.CiphertextBlob!));
    // The next one counts from this rotation.
    expect(await nextRotation(key.KeyId!)).toBeCloseTo(due + 90 * DAY, 3);
  });

  it('a clock that jumps several periods ahead makes each rotation, dated when it fell due', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 100 }));
    const due = await nextRotation(key.KeyId!);
    await advance(due - seconds(sim.now()) + 250 * DAY);
    const dates = (await rotations(key.KeyId!)).map((r) => seconds(r.RotationDate!));
    expect(dates).toHaveLength(3);
    dates.forEach((date, index) => expect(date).toBeCloseTo(due + index * 100 * DAY, 3));
  });

  it('the default period is 365 days; DisableKeyRotation stops it', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }));
    expect(status.RotationPeriodInDays).toBe(365);
    await kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId }));
    expect(await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).toMatchObject({
      KeyId: key.Arn,
      KeyRotationEnabled: false,
    });
    await advance(366 * DAY);
    expect(await rotations(key.KeyId!)).toEqual([]);
  });

  it('a disabled key does not rotate; enabled again after its date, it rotates at once', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await advance(200 * DAY);
    expect(await rotations(key.KeyId!)).toEqual([]);
    const enabledAt = seconds(sim.now());
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    const [rotation, ...more] = await rotations(key.KeyId!);
    expect(more).toEqual([]);
    expect(rotation!.RotationType).toBe('AUTOMATIC');
    expect(seconds(rotation!.RotationDate!)).toBeGreaterThanOrEqual(enabledAt - 1);
    expect(await nextRotation(key.KeyId!)).toBeCloseTo(
      seconds(rotation!.RotationDate!) + 90 * DAY,
      3,
    );
  });

  it('a key pending deletion reports rotation off and keeps its setting when deletion is cancelled', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 180 }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    expect(await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).toMatchObject({
      KeyRotationEnabled: false,
    });
    await expect(
      kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })),
    ).rejects.toMatchObject({
      name: 'KMSInvalidStateException',
      message: `${key.Arn} is pending deletion.`,
    });
    await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    await expect(
      kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId })),
    ).rejects.toMatchObject({ name: 'DisabledException', message: `${key.Arn} is disabled.` });
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    expect(
      (await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).RotationPeriodInDays,
    ).toBe(180);
  });
});

describe('automatic rotation of a multi-Region key', () => {
  it('is set on the primary; its replicas take the same new material', async () => {
    const east = new KMSClient({
      endpoint: sim.url,
      region: 'us-east-1',
      credentials: REHEARSAL_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const primary = await newKey({ MultiRegion: true });
      const replica = (
        await kms.send(
          new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'us-east-1' }),
        )
      ).ReplicaKeyMetadata!;
      await expect(
        east.send(new EnableKeyRotationCommand({ KeyId: replica.Arn })),
      ).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
      await kms.send(
        new EnableKeyRotationCommand({ KeyId: primary.KeyId, RotationPeriodInDays: 90 }),
      );
      const replicaStatus = await east.send(
        new GetKeyRotationStatusCommand({ KeyId: replica.Arn }),
      );
      expect(replicaStatus).toMatchObject({
        KeyId: replica.Arn,
        KeyRotationEnabled: true,
        RotationPeriodInDays: 90,
      });
      const plaintext = Buffer.from('before the rotation, in the primary Region');
      const old = await kms.send(
        new EncryptCommand({ KeyId: primary.KeyId, Plaintext: plaintext }),
      );
      await advance(seconds(replicaStatus.NextRotationDate!) - seconds(sim.now()) + 60);
      const primaryCurrent = (await kms.send(new DescribeKeyCommand({ KeyId: primary.KeyId })))
        .KeyMetadata!.CurrentKeyMaterialId;
      const replicaRotations = await east.send(new ListKeyRotationsCommand({ KeyId: replica.Arn }));
      expect(replicaRotations.Rotations!.map((r) => [r.KeyMaterialId, r.RotationType])).toEqual([
        [primaryCurrent, 'AUTOMATIC'],
      ]);
      const fresh = await east.send(
        new EncryptCommand({ KeyId: replica.Arn, Plaintext: plaintext }),
      );
      for (const blob of [old.CiphertextBlob, fresh.CiphertextBlob]) {
        const decrypted = await east.send(new DecryptCommand({ CiphertextBlob: blob }));
        expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
      }
    } finally {
      east.destroy();
    }
  });
});

describe('RotateKeyOnDemand next to an automatic rotation', () => {
  it('ConflictException within 20 minutes of the automatic rotation, accepted before that', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    const due = await nextRotation(key.KeyId!);
    await advance(due - seconds(sim.now()) - 25 * 60);
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    // On-demand rotations leave the schedule as it was.
    expect(await nextRotation(key.KeyId!)).toBeCloseTo(due, 3);
    await advance(10 * 60);
    await expect(
      kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
    ).rejects.toMatchObject({
      name: 'ConflictException',
      message:
        'The request was rejected because an automatic rotation of this key is currently in progress or scheduled to begin within the next 20 minutes.',
    });
    expect((await rotations(key.KeyId!)).map((r) => r.RotationType)).toEqual(['ON_DEMAND']);
    await advance(20 * 60);
    expect((await rotations(key.KeyId!)).map((r) => r.RotationType)).toEqual([
      'ON_DEMAND',
      'AUTOMATIC',
    ]);
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
  });

  it('the 25-rotation quota answers as AWS does', async () => {
    const key = await newKey();
    for (let i = 0; i < 25; i++) await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    await expect(
      kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
    ).rejects.toMatchObject({
      name: 'LimitExceededException',
      message: `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.Arn}`,
    });
  });
});

describe('keys that cannot rotate automatically', () => {
  it('EXTERNAL origin: UnsupportedOperationException with AWS message', async () => {
    const key = await newKey({ Origin: 'EXTERNAL' });
    const message = `${key.Arn} origin is EXTERNAL which is not valid for this operation.`;
    const refused = { name: 'UnsupportedOperationException', message };
    await expect(
      kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })),
    ).rejects.toMatchObject(refused);
    await expect(
      kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId })),
    ).rejects.toMatchObject(refused);
    await expect(
      kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId })),
    ).rejects.toMatchObject(refused);
  });

  it('HMAC and asymmetric keys: EnableKeyRotation refused, GetKeyRotationStatus false', async () => {
    for (const input of [
      { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
      { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' },
      { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
    ] as const) {
      const key = await newKey(input);
      await expect(
        kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })),
      ).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
      expect(await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).toMatchObject({
        KeyId: key.Arn,
        KeyRotationEnabled: false,
      });
    }
  });

  it('RotationPeriodInDays outside 90–2560: ValidationException as the model constrains it', async () => {
    const key = await newKey();
    await expect(
      kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 89 })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90",
    });
    await expect(
      kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 2561 })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '2561' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 2560",
    });
    for (const days of [90, 2560]) {
      await kms.send(
        new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: days }),
      );
      expect(
        (await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId })))
          .RotationPeriodInDays,
      ).toBe(days);
    }
  });
});

describe('automatic rotation in the state file', () => {
  it('survives a restart; a rotation seen first by a read-only request is saved too', async () => {
    const temp = tempDir();
    const stateFile = `${temp.dir}/state`;
    try {
      const first = await startKmsSim({ wrappingKeyPool: false, stateFile });
      let client = kmsClient(first);
      const key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!;
      await client.send(
        new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }),
      );
      client.destroy();
      const offset = 91 * DAY;
      await first.close();

      // The clock offset is not in the state file: start the next one 91 days ahead.
      const second = await startKmsSim({
        wrappingKeyPool: false,
        stateFile,
        clockOffsetSeconds: offset,
      });
      client = kmsClient(second);
      // Encrypt only reads, but the rotation it finds due must reach the file before it answers.
      const plaintext = Buffer.from('encrypted under automatically rotated material');
      const sealed = await client.send(
        new EncryptCommand({ KeyId: key.KeyId, Plaintext: plaintext }),
      );
      client.destroy();
      await second.close();

      const third = await startKmsSim({
        wrappingKeyPool: false,
        stateFile,
        clockOffsetSeconds: offset,
      });
      client = kmsClient(third);
      try {
        const status = await client.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }));
        expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
        const list = await client.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }));
        expect(list.Rotations!.map((r) => r.RotationType)).toEqual(['AUTOMATIC']);
        const decrypted = await client.send(
          new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }),
        );
        expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
      } finally {
        client.destroy();
        await third.close();
      }
    } finally {
      temp.cleanup();
    }
  });
});
