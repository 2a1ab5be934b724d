import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRawParameters } from '../src/io/write-raw-parameters.js';

const key = (keyId: string) => ({
  keyId,
  publicKey: new Uint8Array(294),
  importToken: new Uint8Array(64),
});

describe('writeRawParameters', () => {
  it('refuses a key id that is not a KMS key id before creating anything', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'byok-raw-'));
    for (const keyId of ['../../x', '/etc', 'a/b', '..', '', 'mrk-../../../../x']) {
      await expect(
        writeRawParameters(join(cwd, 'raw'), [
          key('1234abcd-12ab-34cd-56ef-1234567890ab'),
          key(keyId),
        ]),
      ).rejects.toMatchObject({
        code: 'ERR_KMS',
        message: expect.stringContaining('is not a KMS key id') as unknown,
      });
    }
    expect(existsSync(join(cwd, 'raw'))).toBe(false);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('refuses one key id twice', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'byok-raw-'));
    const id = 'mrk-0123456789abcdef0123456789abcdef';
    await expect(writeRawParameters(join(cwd, 'raw'), [key(id), key(id)])).rejects.toMatchObject({
      code: 'ERR_KMS',
    });
    expect(await readdir(cwd)).toEqual([]);
  });
});
