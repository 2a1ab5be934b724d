import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readConsoleZip } from '../../src/ops/read-console-zip.js';
import { tempDir } from '../helpers/run-cli.js';
import { wrappingKeyPair } from '../helpers/request-fixture.js';

/** A zip made by Info-ZIP's `zip`, an independent writer, of the named files. */
function infoZip(files: Record<string, Uint8Array | string>): Uint8Array {
  const dir = tempDir();
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  execFileSync('zip', ['-q', '-X', 'params.zip', ...Object.keys(files)], { cwd: dir });
  return readFileSync(join(dir, 'params.zip'));
}

describe('the AWS console import-parameters zip', () => {
  const publicKey = wrappingKeyPair(2048).publicKey.export({ format: 'der', type: 'spki' });
  const token = randomBytes(1200);

  it('reads the plain layout', () => {
    const zip = infoZip({
      'WrappingPublicKey.bin': publicKey,
      'ImportToken.bin': token,
      'README.txt': 'Wrapping algorithm: RSAES_OAEP_SHA_256\n',
    });
    const read = readConsoleZip(zip);
    expect(read.layout).toBe('plain');
    expect(Buffer.from(read.publicKey).equals(publicKey)).toBe(true);
    expect(Buffer.from(read.importToken).equals(token)).toBe(true);
  });

  it('reads the key-id layout and reports the key id', () => {
    const id = '1234abcd-12ab-34cd-56ef-1234567890ab';
    const zip = infoZip({
      [`wrappingKey_${id}`]: publicKey,
      [`importToken_${id}`]: token,
      [`README_${id}.txt`]: 'readme\n',
    });
    const read = readConsoleZip(zip);
    expect(read).toMatchObject({ layout: 'key-id', keyId: id });
    expect(Buffer.from(read.importToken).equals(token)).toBe(true);
  });

  it('refuses extra entries, mixed layouts, two key ids, a missing file, an oversized entry and non-zips', () => {
    const cases: [Record<string, Uint8Array>, RegExp][] = [
      [
        {
          'WrappingPublicKey.bin': publicKey,
          'ImportToken.bin': token,
          'README.txt': new Uint8Array(1),
          'evil.sh': new Uint8Array(1),
        },
        /unexpected entry "evil.sh"/,
      ],
      [
        {
          'WrappingPublicKey.bin': publicKey,
          importToken_abc: token,
          'README.txt': new Uint8Array(1),
        },
        /mixes file names/,
      ],
      [
        { wrappingKey_abc: publicKey, importToken_abd: token, 'README_abc.txt': new Uint8Array(1) },
        /mixes file names/,
      ],
      [
        { 'WrappingPublicKey.bin': publicKey, 'README.txt': new Uint8Array(1) },
        /has no import token/,
      ],
      [
        {
          'WrappingPublicKey.bin': publicKey,
          'ImportToken.bin': new Uint8Array(20000),
          'README.txt': new Uint8Array(1),
        },
        /larger than 16384 bytes/,
      ],
      [
        {
          'dir/WrappingPublicKey.bin': publicKey,
          'ImportToken.bin': token,
          'README.txt': new Uint8Array(1),
        },
        /unexpected entry/,
      ],
    ];
    for (const [files, message] of cases)
      expect(() => readConsoleZip(zipSync(files)), String(message)).toThrow(
        expect.objectContaining({
          code: 'ERR_CONSOLE_ZIP',
          message: expect.stringMatching(message),
        }),
      );
    expect(() => readConsoleZip(randomBytes(300))).toThrow(
      expect.objectContaining({ code: 'ERR_CONSOLE_ZIP' }),
    );
    expect(() => readConsoleZip(new Uint8Array(300 * 1024))).toThrow(/at most/);
  });

  it('does not inflate past the declared size (a zip bomb stays small)', () => {
    // 10 MB of zeros deflate to about 10 KB; the entry claims 16 bytes.
    const zip = zipSync({
      'WrappingPublicKey.bin': publicKey,
      'ImportToken.bin': new Uint8Array(10 * 1024 * 1024),
      'README.txt': new Uint8Array(1),
    });
    expect(() => readConsoleZip(zip)).toThrow(/larger than 16384 bytes/);
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    // Lie in the central directory: declare 100 bytes for the token.
    for (let o = 0; o + 46 < zip.length; o++) {
      if (view.getUint32(o, true) !== 0x02014b50) continue;
      const nameLength = view.getUint16(o + 28, true);
      const name = Buffer.from(zip.subarray(o + 46, o + 46 + nameLength)).toString();
      if (name === 'ImportToken.bin') view.setUint32(o + 24, 100, true);
    }
    const read = readConsoleZip(zip);
    expect(read.importToken.length).toBe(100);
  });
});
