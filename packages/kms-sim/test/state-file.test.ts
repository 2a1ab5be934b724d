import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
} from '@aws-sdk/client-kms';
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startKmsSim } from '../src/index.js';
import { kmsClient, tempDir } from './helpers.js';
import { wrapForKms } from './wrap.js';

describe('--state-file', () => {
  const temp = tempDir();
  afterAll(() => {
    temp.cleanup();
  });

  it('keeps keys, material and import parameters across a restart, with material sealed under a 0600 root key', async () => {
    const stateFile = join(temp.dir, 'kms-state.json');
    const first = await startKmsSim({ stateFile, wrappingKeyPool: false });
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

    const restarted = await startKmsSim({ stateFile, wrappingKeyPool: false });
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
    const sim = await startKmsSim({ stateFile, wrappingKeyPool: false });
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

  it('refuses sealed material moved from one key record to another', async () => {
    const stateFile = join(temp.dir, 'swapped-state.json');
    await twoImportedKeys(stateFile);
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      keys: { arn: string; materials: { material?: string }[] }[];
    };
    const [a, b] = state.keys.map((k) => k.materials[0]!);
    const [first, second] = [a!.material!, b!.material!];
    a!.material = second;
    b!.material = first;
    writeFileSync(stateFile, JSON.stringify(state));
    await expect(startKmsSim({ stateFile, wrappingKeyPool: false })).rejects.toThrow(
      /the sealed materials\..*\.material of arn:aws:kms:.* does not open under the root key/,
    );
  });

  it('refuses a root key file that others may read', async () => {
    const stateFile = join(temp.dir, 'loose-state.json');
    await twoImportedKeys(stateFile);
    chmodSync(`${stateFile}.key`, 0o644);
    await expect(startKmsSim({ stateFile, wrappingKeyPool: false })).rejects.toThrow(
      `the root key ${stateFile}.key has mode 0644, not 0600`,
    );
    chmodSync(`${stateFile}.key`, 0o600);
    const sim = await startKmsSim({ stateFile, wrappingKeyPool: false });
    await sim.close();
  });
});
