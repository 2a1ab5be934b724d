import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOperatorPublicKey } from '../../src/io/operator-key-file.js';
import { INPUT_FILE_LIMITS } from '../../src/io/input-limits.js';
import { parseJsonFile, readInputFile } from '../../src/io/read-input-file.js';

describe('parseJsonFile', () => {
  it('parses JSON as JSON.parse does', () => {
    const text = '{"a":[1,"x",null,true],"__proto__":{"b":2}}';
    const value = parseJsonFile(new TextEncoder().encode(text), 'f.json', 'bundle');
    expect(JSON.stringify(value)).toBe(JSON.stringify(JSON.parse(text)));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('refuses a key given twice, naming the file, the key and where it is', () => {
    const bytes = new TextEncoder().encode('{"targets":[{"keyArn":"a","keyArn":"b"}]}');
    expect(() => parseJsonFile(bytes, 'request.json', 'import request')).toThrow(
      expect.objectContaining({
        code: 'ERR_BUNDLE_INVALID',
        message:
          'import request request.json is not valid UTF-8 JSON: duplicate key "keyArn" in the object at $.targets[0]',
      }),
    );
  });

  it('refuses an operator public key file with a key given twice', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'byok-read-input-')), 'alice.pub.json');
    writeFileSync(path, '{"name":"ALICE","name":"MALLORY"}');
    await expect(readOperatorPublicKey(path)).rejects.toMatchObject({
      code: 'ERR_BUNDLE_INVALID',
      message: expect.stringContaining('duplicate key "name" in the object at $'),
    });
  });
});

describe('readInputFile size limits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'byok-read-limit-'));

  it('refuses a file above its kind limit before reading it', async () => {
    const path = join(dir, 'big.key.json');
    writeFileSync(path, Buffer.alloc(INPUT_FILE_LIMITS['operator key'] + 1, 0x20));
    await expect(readInputFile(path, 'operator key')).rejects.toMatchObject({
      code: 'ERR_INPUT_FILE',
      message: `the operator key ${path} is refused: it is 65537 bytes, above the limit of 65536 bytes`,
      hint: expect.stringMatching(/at most 65536 bytes/) as unknown,
    });
  });

  it('stops reading a device that never ends', async () => {
    await expect(readInputFile('/dev/zero', 'material file')).rejects.toMatchObject({
      code: 'ERR_INPUT_FILE',
      message: expect.stringMatching(/holds more than the limit of 65536 bytes/) as unknown,
    });
  });

  it('reads a file at the limit', async () => {
    const path = join(dir, 'ok.bin');
    writeFileSync(path, Buffer.alloc(INPUT_FILE_LIMITS['import token'], 7));
    expect((await readInputFile(path, 'import token')).length).toBe(65536);
  });
});
