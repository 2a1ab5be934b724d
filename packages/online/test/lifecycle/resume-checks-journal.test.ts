import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { bundleDigest, type Bundle } from '@byok-ceremony/shared';
import { simForThisFile } from '../helpers/sim-env.js';
import { Ceremony } from './ceremony-steps.js';

const s = simForThisFile();

describe('import --resume checks the journal beside the request against KMS', () => {
  it('a key a forged journal calls imported, but KMS does not hold, stops the resume', async () => {
    const c = await Ceremony.start(s);
    const arn = await c.createKey();
    const prep = await c.prepare('r.json', ['--key-id', arn]);
    const code = await c.wrap('r.json', prep.checkCode, 'w.json');
    const digest = async (name: string) =>
      bundleDigest(JSON.parse(await readFile(join(c.onlineDir, name), 'utf8')) as Bundle);
    // Whoever holds the folder (the USB stick the request travels on) writes two lines.
    const time = new Date().toISOString();
    await writeFile(
      join(c.onlineDir, 'r.json.journal.jsonl'),
      [
        {
          format: 'byok-import-journal/2',
          request: await digest('r.json'),
          wrapped: await digest('w.json'),
          targets: 1,
          time,
        },
        {
          event: 'imported',
          target: 0,
          keyArn: arn,
          time,
          keyState: 'Enabled',
          keyMaterialId: 'd'.repeat(64),
          proof: 'kcv-only',
          proven: false,
          alreadyHeld: false,
          current: true,
        },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n') + '\n',
    );
    const r = await c.importRaw('r.json', 'w.json', code, ['--resume']);
    const state = (await s.kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.KeyState;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `byok-online: error: the import journal says ${arn} was imported (material ${'d'.repeat(64)}), but KMS does not hold it`,
    );
    expect(r.stderr).toMatch(/^byok-online: hint: Nothing more was sent\./m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(state).toBe('PendingImport');
    // Moved aside, a plain import does the work.
    await rename(join(c.onlineDir, 'r.json.journal.jsonl'), join(c.onlineDir, 'forged.jsonl'));
    const again = await c.importRaw('r.json', 'w.json', code);
    expect(again.code, again.stderr).toBe(0);
    expect((await s.kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.KeyState).toBe(
      'Enabled',
    );
  });
});
