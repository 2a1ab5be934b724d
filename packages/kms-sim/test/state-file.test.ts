import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetKeyRotationStatusCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import type { KeyMetadata } from '@aws-sdk/client-kms';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startKmsSim } from '../src/index.js';
import { authenticateLines } from '../src/state/persist.js';
import { FIXTURE_WRAPPING_KEY_POOL, kmsClient, tempDir } from './helpers.js';
import { wrapForKms } from './wrap.js';

describe('--state-file', () => {
  const temp = tempDir();
  afterAll(() => {
    temp.cleanup();
  });

  it('keeps keys, material and import parameters across a restart, with material sealed under a 0600 root key', async () => {
    const stateFile = join(temp.dir, 'kms-state.json');
    const first = await startKmsSim({
      stateFile,
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
    });
    let kms = kmsClient(first);
    const material = randomBytes(32);
    const key = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
    const parameters = await kms.send(
      new GetParametersForImportCommand({
        KeyId: key.KeyId,
        WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        WrappingKeySpec: 'RSA_2048',
      }),
    );
    const imported = await kms.send(
      new ImportKeyMaterialCommand({
        KeyId: key.KeyId,
        ImportToken: parameters.ImportToken,
        EncryptedKeyMaterial: wrapForKms(parameters.PublicKey!, 'RSAES_OAEP_SHA_256', material),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }),
    );
    const ciphertext = (
      await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('persisted') }))
    ).CiphertextBlob;
    const second = await kms.send(
      new GetParametersForImportCommand({
        KeyId: key.KeyId,
        WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        WrappingKeySpec: 'RSA_2048',
      }),
    );
    kms.destroy();
    await first.close();

    expect(statSync(`${stateFile}.key`).mode & 0o777).toBe(0o600);
    const text = readFileSync(stateFile, 'utf8');
    expect(text).toContain(key.KeyId);
    expect(text).not.toContain(material.toString('base64'));
    expect(readdirSync(temp.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const restarted = await startKmsSim({
      stateFile,
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
    });
    kms = kmsClient(restarted);
    try {
      const plaintext = (await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext })))
        .Plaintext!;
      expect(Buffer.from(plaintext).toString()).toBe('persisted');
      // A token issued before the restart still works, and the same material keeps its id.
      const again = await kms.send(
        new ImportKeyMaterialCommand({
          KeyId: key.KeyId,
          ImportToken: second.ImportToken,
          EncryptedKeyMaterial: wrapForKms(second.PublicKey!, 'RSAES_OAEP_SHA_256', material),
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      );
      expect(again.KeyMaterialId).toBe(imported.KeyMaterialId);
    } finally {
      kms.destroy();
      await restarted.close();
    }
  });

  async function twoImportedKeys(stateFile: string): Promise<void> {
    const sim = await startKmsSim({
      stateFile,
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
    });
    const kms = kmsClient(sim);
    try {
      for (let i = 0; i < 2; i++) {
        const key = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
        const parameters = await kms.send(
          new GetParametersForImportCommand({
            KeyId: key.KeyId,
            WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
            WrappingKeySpec: 'RSA_2048',
          }),
        );
        await kms.send(
          new ImportKeyMaterialCommand({
            KeyId: key.KeyId,
            ImportToken: parameters.ImportToken,
            EncryptedKeyMaterial: wrapForKms(
              parameters.PublicKey!,
              'RSAES_OAEP_SHA_256',
              randomBytes(32),
            ),
            ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
          }),
        );
      }
    } finally {
      kms.destroy();
      await sim.close();
    }
  }

  /** The state as one snapshot line (a start compacts the file), split into its JSON and MAC. */
  async function snapshotOf(stateFile: string): Promise<{ json: string; mac: string }> {
    await (
      await startKmsSim({
        stateFile,
        wrappingKeyPool: false,
        wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
      })
    ).close();
    const text = readFileSync(stateFile, 'utf8');
    expect(text.split('\n')).toHaveLength(2);
    const [json, mac] = text.trimEnd().split('\t') as [string, string];
    return { json, mac };
  }

  it('refuses sealed material moved from one key record to another', async () => {
    const stateFile = join(temp.dir, 'swapped-state.json');
    await twoImportedKeys(stateFile);
    const { json, mac } = await snapshotOf(stateFile);
    const state = JSON.parse(json) as {
      keys: Record<string, { materials: { material?: string }[] }>;
    };
    const [a, b] = Object.values(state.keys).map((k) => k.materials[0]!);
    const [first, second] = [a!.material!, b!.material!];
    a!.material = second;
    b!.material = first;
    const swapped = JSON.stringify(state);
    writeFileSync(stateFile, `${swapped}\t${mac}\n`);
    await expect(
      startKmsSim({
        stateFile,
        wrappingKeyPool: false,
        wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
      }),
    ).rejects.toThrow(/line 1 does not authenticate under the root key/);
    // Even with the whole file authenticated anew (by someone holding the root key), each sealed
    // value stays bound to its record.
    const rootKey = readFileSync(`${stateFile}.key`);
    writeFileSync(stateFile, authenticateLines([Buffer.from(swapped)], rootKey));
    await expect(
      startKmsSim({
        stateFile,
        wrappingKeyPool: false,
        wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
      }),
    ).rejects.toThrow(
      /the sealed materials\..*\.material of arn:aws:kms:.* does not open under the root key/,
    );
  });

  it('refuses a state file with one metadata byte changed, at start, with a clear error', async () => {
    const stateFile = join(temp.dir, 'edited-state.json');
    await twoImportedKeys(stateFile);
    const { json } = await snapshotOf(stateFile);
    const original = readFileSync(stateFile);
    // One byte of the account id in the first ARN, outside any sealed value.
    const at = json.indexOf(':111122223333:') + 1;
    const edited = Buffer.from(original);
    edited[at] = '2'.charCodeAt(0);
    writeFileSync(stateFile, edited);
    const refused = startKmsSim({
      stateFile,
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
    });
    await expect(refused).rejects.toThrow(
      `${stateFile}: line 1 does not authenticate under the root key: the state file was changed outside byok-kms-sim`,
    );
    await expect(refused).rejects.toMatchObject({
      code: 'ERR_INPUT_FILE',
      hint: expect.stringContaining('restore'),
    });
    // A line cut short, or one more change line with a made-up MAC, is refused too.
    writeFileSync(stateFile, original.subarray(0, original.length - 1));
    await expect(
      startKmsSim({
        stateFile,
        wrappingKeyPool: false,
        wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
      }),
    ).rejects.toThrow(/line 1 is incomplete/);
    writeFileSync(
      stateFile,
      Buffer.concat([original, Buffer.from(`{"keys":{}}\t${'0'.repeat(64)}\n`)]),
    );
    await expect(
      startKmsSim({
        stateFile,
        wrappingKeyPool: false,
        wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
      }),
    ).rejects.toThrow(/line 2 does not authenticate/);
    writeFileSync(stateFile, original);
    await (
      await startKmsSim({
        stateFile,
        wrappingKeyPool: false,
        wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
      })
    ).close();
  });

  it('refuses a state file whose key lost its deletion date', async () => {
    const stateFile = join(temp.dir, 'deletion-state.json');
    const sim = await startKmsSim({
      stateFile,
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
    });
    const kms = kmsClient(sim);
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    kms.destroy();
    await sim.close();
    const { json, mac } = await snapshotOf(stateFile);
    const state = JSON.parse(json) as { keys: Record<string, { deletionDate?: number }> };
    expect(state.keys[key.Arn!]!.deletionDate).toBeGreaterThan(0);
    delete state.keys[key.Arn!]!.deletionDate;
    writeFileSync(stateFile, `${JSON.stringify(state)}\t${mac}\n`);
    await expect(
      startKmsSim({
        stateFile,
        wrappingKeyPool: false,
        wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
      }),
    ).rejects.toThrow(/line 1 does not authenticate under the root key/);
  });

  it('appends one authenticated line per changing request and compacts once the log has grown', async () => {
    const stateFile = join(temp.dir, 'log-state.json');
    const sim = await startKmsSim({ stateFile, wrappingKeyPool: false });
    const kms = kmsClient(sim);
    const lines = () => readFileSync(stateFile, 'utf8').trimEnd().split('\n').length;
    let firstKeyId: string | undefined;
    try {
      expect(lines()).toBe(1);
      const first = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      firstKeyId = first.KeyId!;
      expect(lines()).toBe(2);
      const lineOf = (index: number) =>
        readFileSync(stateFile, 'utf8').trimEnd().split('\n').at(index)!;
      const firstChange = Buffer.byteLength(lineOf(1));
      await kms.send(new DescribeKeyCommand({ KeyId: first.KeyId })); // read-only: nothing written
      expect(lines()).toBe(2);
      for (let i = 0; i < 20; i++) await kms.send(new CreateKeyCommand({}));
      expect(lines()).toBe(22);
      // A write costs what changed: the last line is about as long as the first change line.
      expect(Buffer.byteLength(lineOf(-1))).toBeLessThan(2 * firstChange);
      // 1,000 more changes to the same few records: the log outgrows max(1000, 2 x records).
      for (let i = 0; i < 500; i++) {
        await kms.send(new DisableKeyCommand({ KeyId: first.KeyId }));
        await kms.send(new EnableKeyCommand({ KeyId: first.KeyId }));
      }
      expect(lines()).toBeLessThan(1000); // compacted into a new snapshot on the way
      expect(Buffer.byteLength(lineOf(0))).toBeGreaterThan(15 * firstChange);
      await kms.send(new DisableKeyCommand({ KeyId: first.KeyId }));
    } finally {
      kms.destroy();
      await sim.close();
    }
    const restarted = await startKmsSim({ stateFile, wrappingKeyPool: false });
    const again = kmsClient(restarted);
    try {
      let count = 0;
      let marker: string | undefined;
      do {
        const page = await again.send(new ListKeysCommand({ Limit: 1000, Marker: marker }));
        count += page.Keys!.length;
        marker = page.NextMarker;
      } while (marker !== undefined);
      expect(count).toBe(21);
      const described = await again.send(new DescribeKeyCommand({ KeyId: firstKeyId }));
      expect(described.KeyMetadata!.KeyState).toBe('Disabled');
    } finally {
      again.destroy();
      await restarted.close();
    }
  });

  it('loads a state file an earlier byok-kms-sim wrote, change lines and all', async () => {
    // Written by the simulator as it was before its records were checked with FieldChecker
    // (see fixtures/README.md); the file format has not changed since.
    const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'earlier-state-file');
    const stateFile = join(temp.dir, 'earlier-state.json');
    copyFileSync(fixture, stateFile);
    copyFileSync(`${fixture}.key`, `${stateFile}.key`);
    chmodSync(`${stateFile}.key`, 0o600);
    expect(readFileSync(stateFile, 'utf8').trimEnd().split('\n').length).toBeGreaterThan(20);
    const sim = await startKmsSim({
      stateFile,
      wrappingKeyPool: false,
      otherRegions: ['us-east-1'],
    });
    const kms = kmsClient(sim);
    try {
      const byDescription = new Map<string, KeyMetadata>();
      for (const { KeyId } of (await kms.send(new ListKeysCommand({}))).Keys!) {
        const metadata = (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;
        byDescription.set(metadata.Description!, metadata);
      }
      const imported = byDescription.get('imported')!;
      expect(imported.KeyState).toBe('Enabled');
      const viaAlias = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/imported' }));
      expect(viaAlias.KeyMetadata!.KeyId).toBe(imported.KeyId);
      const rotations = await kms.send(new ListKeyRotationsCommand({ KeyId: imported.KeyId }));
      expect(rotations.Rotations).toHaveLength(1);
      const sealed = await kms.send(
        new EncryptCommand({ KeyId: imported.KeyId, Plaintext: Buffer.from('earlier') }),
      );
      const opened = await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
      expect(Buffer.from(opened.Plaintext!).toString()).toBe('earlier');
      const rotating = byDescription.get('rotating')!;
      const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: rotating.KeyId }));
      expect(status.KeyRotationEnabled).toBe(true);
      expect(status.RotationPeriodInDays).toBe(2560);
      expect(byDescription.get('disabled')!.KeyState).toBe('Disabled');
      expect(byDescription.get('awaiting import')!.KeyState).toBe('PendingImport');
      const replicas = byDescription.get('multi-Region')!.MultiRegionConfiguration!.ReplicaKeys!;
      expect(replicas.map((replica) => replica.Region)).toEqual(['us-east-1']);
      const rsa = byDescription.get('rsa')!;
      expect((await kms.send(new GetPublicKeyCommand({ KeyId: rsa.KeyId }))).KeySpec).toBe(
        'RSA_2048',
      );
      const hmac = byDescription.get('hmac')!;
      const mac = await kms.send(
        new GenerateMacCommand({
          KeyId: hmac.KeyId,
          MacAlgorithm: 'HMAC_SHA_256',
          Message: Buffer.from('earlier'),
        }),
      );
      expect(mac.Mac).toHaveLength(32);
    } finally {
      kms.destroy();
      await sim.close();
    }
  });

  it('refuses a root key file that others may read', async () => {
    const stateFile = join(temp.dir, 'loose-state.json');
    await twoImportedKeys(stateFile);
    chmodSync(`${stateFile}.key`, 0o644);
    await expect(
      startKmsSim({
        stateFile,
        wrappingKeyPool: false,
        wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
      }),
    ).rejects.toThrow(`the root key ${stateFile}.key has mode 0644, not 0600`);
    chmodSync(`${stateFile}.key`, 0o600);
    const sim = await startKmsSim({
      stateFile,
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
    });
    await sim.close();
  });
});
