import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOperatorPublicKey } from '../../src/io/operator-key-file.js';
import { parseJsonFile } from '../../src/io/read-input-file.js';

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
