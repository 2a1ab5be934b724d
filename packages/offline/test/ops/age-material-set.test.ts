import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMaterialSet, serializeMaterialSet } from '@byok-ceremony/shared';
import { decryptMaterialSet, parseAgeIdentityFile } from '../../src/ops/decrypt-material-set.js';
import { encryptMaterialSet } from '../../src/ops/encrypt-material-set.js';
import { materialSetFixture } from '../helpers/material-set-fixture.js';
import { tempDir } from '../helpers/run-cli.js';

const PTY_HELPER = join(import.meta.dirname, '../helpers/age-passphrase-pty.py');

function ageKeygen(dir: string, name: string): { file: string; recipient: string } {
  const file = join(dir, name);
  execFileSync('age-keygen', ['-o', file], { stdio: 'ignore' });
  return { file, recipient: execFileSync('age-keygen', ['-y', file]).toString().trim() };
}

describe('age backup of a material set', () => {
  it('encrypts to recipients that the age CLI decrypts to the documented format', async () => {
    const dir = tempDir();
    const alice = ageKeygen(dir, 'alice.txt');
    const bob = ageKeygen(dir, 'bob.txt');
    const set = materialSetFixture();
    const expected = serializeMaterialSet(set);
    const file = join(dir, 'material-set.age');
    writeFileSync(
      file,
      await encryptMaterialSet(set, {
        kind: 'recipients',
        recipients: [alice.recipient, bob.recipient],
      }),
    );
    for (const who of [alice, bob]) {
      const plain = execFileSync('age', ['-d', '-i', who.file, file]).toString();
      expect(plain).toBe(expected);
      expect(parseMaterialSet(plain).groups.map((g) => g.kcv)).toEqual(
        set.groups.map((g) => g.kcv),
      );
    }
    const identities = parseAgeIdentityFile(readFileSync(alice.file, 'utf8'), alice.file);
    const opened = await decryptMaterialSet(readFileSync(file), { kind: 'identities', identities });
    expect(serializeMaterialSet(opened)).toBe(expected);
  });

  it('refuses a wrong identity with ERR_AGE', async () => {
    const dir = tempDir();
    const alice = ageKeygen(dir, 'alice.txt');
    const mallory = ageKeygen(dir, 'mallory.txt');
    const encrypted = await encryptMaterialSet(materialSetFixture(['SYMMETRIC_DEFAULT']), {
      kind: 'recipients',
      recipients: [alice.recipient],
    });
    const identities = parseAgeIdentityFile(readFileSync(mallory.file, 'utf8'), mallory.file);
    await expect(
      decryptMaterialSet(encrypted, { kind: 'identities', identities }),
    ).rejects.toMatchObject({
      code: 'ERR_AGE',
      message: expect.stringMatching(/cannot be decrypted with the identity given/),
    });
    expect(spawnSync('age', ['-d', '-i', mallory.file], { input: encrypted }).status).not.toBe(0);
  });

  it('encrypts to a passphrase: the age CLI (on a pty) and the library decrypt it; a wrong passphrase is refused', async () => {
    const dir = tempDir();
    const set = materialSetFixture(['HMAC_256']);
    const passphrase = 'tamper evident bag 42 lantern';
    const file = join(dir, 'material-set.age');
    const encrypted = await encryptMaterialSet(set, { kind: 'passphrase', passphrase });
    writeFileSync(file, encrypted);
    const out = join(dir, 'plain.json');
    const ok = spawnSync('python3', [PTY_HELPER, file, out, passphrase], { stdio: 'ignore' });
    expect(ok.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(serializeMaterialSet(set));
    const bad = spawnSync(
      'python3',
      [PTY_HELPER, file, join(dir, 'bad.json'), 'not the passphrase'],
      { stdio: 'ignore' },
    );
    expect(bad.status).not.toBe(0);
    expect(
      serializeMaterialSet(await decryptMaterialSet(encrypted, { kind: 'passphrase', passphrase })),
    ).toBe(serializeMaterialSet(set));
    await expect(
      decryptMaterialSet(encrypted, { kind: 'passphrase', passphrase: 'not the passphrase' }),
    ).rejects.toMatchObject({ code: 'ERR_AGE' });
  });

  it('reads identity files strictly', () => {
    expect(() => parseAgeIdentityFile('# only a comment\n', 'k.txt')).toThrow(
      /holds no age identity/,
    );
    expect(() => parseAgeIdentityFile('AGE-SECRET-KEY-1XYZ\n', 'k.txt')).toThrow(
      /line 1 is not an age X25519 identity/,
    );
  });
});
