import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecryptCommand, DescribeKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFLINE_BIN, ONLINE_BIN, runChild } from './helpers/run-online.js';
import { startSimEnv, type SimEnv } from './helpers/sim-env.js';

let s: SimEnv;

beforeAll(async () => {
  s = await startSimEnv();
});
afterAll(async () => {
  await s.close();
});

describe('the whole ceremony through the real CLIs as child processes', () => {
  it('create-key ×3, prepare, wrap offline, import: all Enabled and proven', async () => {
    const online = (cwd: string, argv: string[]) =>
      runChild(ONLINE_BIN, [...s.flags, ...argv], { cwd, env: s.env });
    const offline = (cwd: string, argv: string[]) =>
      runChild(OFFLINE_BIN, argv, { cwd, env: s.env });
    const onlineDir = await mkdtemp(join(tmpdir(), 'byok-e2e-online-'));
    const offlineDir = await mkdtemp(join(tmpdir(), 'byok-e2e-offline-'));

    const arns: string[] = [];
    for (const spec of ['SYMMETRIC_DEFAULT', 'HMAC_256', 'ECC_NIST_P256']) {
      const r = await online(onlineDir, ['create-key', '--key-spec', spec, '--json']);
      expect(r.code, r.stderr).toBe(0);
      // Nothing but the note that names the rehearsal endpoint (no SDK warning).
      expect(r.stderr).toBe(
        `byok-online: note: using KMS endpoint ${s.sim.url} (from --endpoint-url)\n`,
      );
      arns.push((JSON.parse(r.stdout) as { arn: string }).arn);
    }

    const prep = await online(onlineDir, [
      'prepare',
      ...arns.flatMap((arn) => ['--key-id', arn]),
      '--out',
      'request.json',
      '--operator',
      'ALICE',
      '--operator',
      'BOB',
      '--json',
    ]);
    expect(prep.code, prep.stderr).toBe(0);
    const prepared = JSON.parse(prep.stdout) as {
      checkCode: string;
      targets: { keyArn: string; wrappingKeySpec: string }[];
    };
    expect(prepared.targets.map((t) => t.keyArn)).toEqual(arns);
    expect(prepared.targets.every((t) => t.wrappingKeySpec === 'RSA_4096')).toBe(true);

    // The USB stick: the request goes to the offline machine's folder.
    const requestBytes = await readFile(join(onlineDir, 'request.json'));
    await writeFile(join(offlineDir, 'request.json'), requestBytes);

    const inspect = await offline(offlineDir, ['inspect', '--request', 'request.json', '--json']);
    expect(inspect.code, inspect.stderr).toBe(0);
    // The reading machine shows the request, never its code: that comes off the online screen.
    expect((JSON.parse(inspect.stdout) as { checkCode?: string }).checkCode).toBeUndefined();
    expect(inspect.stdout).not.toContain(prepared.checkCode);

    const wrap = await offline(offlineDir, [
      'wrap',
      '--request',
      'request.json',
      '--out',
      'wrapped.json',
      '--operator',
      'CAROL',
      '--operator',
      'DAVE',
      '--check-code',
      prepared.checkCode,
      '--check-code',
      prepared.checkCode,
      '--no-backup',
      '--json',
    ]);
    expect(wrap.code, wrap.stderr).toBe(0);
    const wrappedCode = (JSON.parse(wrap.stdout) as { checkCode: string }).checkCode;
    await writeFile(
      join(onlineDir, 'wrapped.json'),
      await readFile(join(offlineDir, 'wrapped.json')),
    );

    const imp = await online(onlineDir, [
      'import',
      '--request',
      'request.json',
      '--wrapped',
      'wrapped.json',
      '--operator',
      'ALICE',
      '--operator',
      'BOB',
      '--check-code',
      wrappedCode,
      '--check-code',
      wrappedCode,
      '--json',
    ]);
    expect(imp.code, imp.stderr).toBe(0);
    const result = JSON.parse(imp.stdout) as {
      checkCode: string;
      keys: {
        keyArn: string;
        keyState: string;
        keyMaterialId: string;
        proof: string;
        proven: boolean;
      }[];
    };
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
