import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DecryptCommand, DescribeKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { keyIdFlags, type ImportResult } from '../../../test/ceremony/driver.mjs';
import { simForThisFile } from './helpers/sim-env.js';
import { Ceremony } from './lifecycle/ceremony-steps.js';

const s = simForThisFile();

describe('the whole ceremony through the real CLIs as child processes', () => {
  it('create-key ×3, prepare, wrap offline, import: all Enabled and proven', async () => {
    const c = await Ceremony.start(s, { onlineAsChild: true });
    const { onlineDir } = c;

    const arns: string[] = [];
    for (const spec of ['SYMMETRIC_DEFAULT', 'HMAC_256', 'ECC_NIST_P256']) {
      const r = await c.online(['create-key', '--key-spec', spec, '--json']);
      expect(r.code, r.stderr).toBe(0);
      // Nothing but the note that names the rehearsal endpoint (no SDK warning).
      expect(r.stderr).toMatch(
        new RegExp(
          `^byok-online: note: using KMS endpoint ${s.sim.url.replaceAll('.', '\\.')} \\(from --endpoint-url\\)\n` +
            'byok-online: log head code [0-9A-Z]{4}(-[0-9A-Z]{4}){5} \\(the witness writes it down; audit head prints it again\\)\n$',
        ),
      );
      arns.push((JSON.parse(r.stdout) as { arn: string }).arn);
    }

    // The USB stick: prepare carries the request to the offline machine's folder.
    const prepared = await c.prepare<{ keyArn: string; wrappingKeySpec: string }>(
      'request.json',
      keyIdFlags(arns),
    );
    expect(prepared.targets.map((t) => t.keyArn)).toEqual(arns);
    expect(prepared.targets.every((t) => t.wrappingKeySpec === 'RSA_4096')).toBe(true);

    const inspect = await c.offline(['inspect', '--request', 'request.json', '--json']);
    expect(inspect.code, inspect.stderr).toBe(0);
    // The reading machine shows the request, never its code: that comes off the online screen.
    expect((JSON.parse(inspect.stdout) as { checkCode?: string }).checkCode).toBeUndefined();
    expect(inspect.stdout).not.toContain(prepared.checkCode);

    const wrappedCode = await c.wrap('request.json', prepared.checkCode, 'wrapped.json');

    const result = await c.import<ImportResult>('request.json', 'wrapped.json', wrappedCode);
    expect(result.checkCode).toBe(wrappedCode);
    expect(result.keys.map((k) => [k.keyArn, k.keyState, k.proof, k.proven])).toEqual([
      [arns[0], 'Enabled', 'kcv-only', false],
      [arns[1], 'Enabled', 'hmac', true],
      [arns[2], 'Enabled', 'public-key', true],
    ]);
    for (const key of result.keys) expect(key.keyMaterialId).toMatch(/^[0-9a-f]{64}$/);

    // Independently of our CLI: KMS says Enabled, with the KeyMaterialId import reported.
    for (const [i, arn] of arns.entries()) {
      const described = await s.kms.send(new DescribeKeyCommand({ KeyId: arn }));
      expect(described.KeyMetadata?.KeyState).toBe('Enabled');
      // DescribeKey names the current material of symmetric encryption keys only.
      expect(described.KeyMetadata?.CurrentKeyMaterialId).toBe(
        i === 0 ? result.keys[i]!.keyMaterialId : undefined,
      );
    }
    const plaintext = Buffer.from('byok-ceremony round trip');
    const encrypted = await s.kms.send(
      new EncryptCommand({ KeyId: arns[0], Plaintext: plaintext }),
    );
    const decrypted = await s.kms.send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }),
    );
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
    expect(decrypted.KeyId).toBe(arns[0]);

    // The online log links to the offline one through the wrapped bundle.
    const wrapped = JSON.parse(await readFile(join(onlineDir, 'wrapped.json'), 'utf8')) as {
      auditLogHead: string | null;
    };
    const log = (await readFile(join(onlineDir, 'byok-online-audit.jsonl'), 'utf8'))
      .trim()
      .split('\n');
    const last = JSON.parse(log.at(-1)!) as {
      command: string;
      peerLogHead: string | null;
      outcome: string;
    };
    expect([last.command, last.outcome]).toEqual(['import', 'ok']);
    expect(last.peerLogHead).toBe(wrapped.auditLogHead);
  });
});
