import { chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPrivateFile } from '../../src/io/read-private-file.js';
import { tempDir } from '../helpers/run-cli.js';

describe('readPrivateFile', () => {
  it('reads a 0600 file and refuses group- or world-accessible ones with the umask hint', async () => {
    const file = join(tempDir(), 'material.bin');
    writeFileSync(file, Buffer.alloc(32, 1), { mode: 0o600 });
    expect((await readPrivateFile(file, 'material file', 1024)).length).toBe(32);
    for (const mode of [0o644, 0o640, 0o604, 0o620]) {
      chmodSync(file, mode);
      await expect(readPrivateFile(file, 'material file', 1024)).rejects.toMatchObject({
        code: 'ERR_MATERIAL_PERMISSIONS',
        message: expect.stringContaining(`(mode ${mode.toString(8)})`),
        hint: expect.stringContaining('umask 077'),
      });
    }
  });

  it('refuses folders, missing files and oversize files', async () => {
    const dir = tempDir();
    await expect(readPrivateFile(dir, 'material file', 1024)).rejects.toMatchObject({
      code: 'ERR_INPUT_FILE',
    });
    await expect(readPrivateFile(join(dir, 'nope'), 'material file', 1024)).rejects.toMatchObject({
      code: 'ERR_INPUT_FILE',
      message: expect.stringMatching(/does not exist/),
    });
    const big = join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(2048), { mode: 0o600 });
    await expect(readPrivateFile(big, 'material file', 1024)).rejects.toMatchObject({
      message: expect.stringMatching(/has 2048 bytes; one is at most 1024/),
    });
  });

  it('refuses a symbolic link, even to a private file: what is checked is the file named', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'material.bin'), Buffer.alloc(32, 1), { mode: 0o600 });
    symlinkSync(join(dir, 'material.bin'), join(dir, 'link.bin'));
    await expect(
      readPrivateFile(join(dir, 'link.bin'), 'material file', 1024),
    ).rejects.toMatchObject({
      code: 'ERR_INPUT_FILE',
      message: expect.stringMatching(/link\.bin is a symbolic link$/),
      hint: expect.stringContaining('not a link to it'),
    });
  });
});
