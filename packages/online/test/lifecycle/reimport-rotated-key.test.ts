import { describe, expect, it } from 'vitest';
import { simForThisFile } from '../helpers/sim-env.js';
import { Ceremony } from './ceremony-steps.js';

const s = simForThisFile();

interface Imported {
  keys: { keyArn: string; keyMaterialId: string; keyState: string }[];
}

describe('re-import into a rotated key that lost both materials', () => {
  it('re-importing the first of two materials succeeds, though the key stays PendingImport', async () => {
    const c = await Ceremony.start(s);
    const arn = await c.createKey();
    const a = await c.materialFile('a.bin');
    const b = await c.materialFile('b.bin');
    const first = await c.prepare('first.json', ['--key-id', arn]);
    const one = await c.import<Imported>(
      'first.json',
      'w1.json',
      await c.wrap('first.json', first.checkCode, 'w1.json', ['--material-file', a]),
    );
    const idA = one.keys[0]!.keyMaterialId;
    const rot = await c.prepare('rot.json', ['--key-id', arn, '--new-material']);
    const two = await c.import<Imported>(
      'rot.json',
      'w2.json',
      await c.wrap('rot.json', rot.checkCode, 'w2.json', ['--material-file', b]),
      ['--rotate'],
    );
    const idB = two.keys[0]!.keyMaterialId;
    for (const id of [idA, idB]) {
      const del = await c.operated(['delete-material', '--key-id', arn, '--key-material-id', id]);
      expect(del.code, del.stderr).toBe(0);
    }

    // prepare takes one --key-material-id per key and refuses the same key twice: one at a time.
    const re = await c.prepare('re.json', [
      '--key-id',
      arn,
      '--reimport',
      '--key-material-id',
      idA,
    ]);
    const code = await c.wrap('re.json', re.checkCode, 'w3.json', ['--material-file', a]);
    // KMS takes material A; the key is Enabled only once B is back too.
    const r = await c.importRaw('re.json', 'w3.json', code);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `warning: ${arn} stays PendingImport until every one of its materials is imported again`,
    );
  });
});
