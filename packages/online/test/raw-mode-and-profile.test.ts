import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REHEARSAL_CREDENTIALS } from '@byok-ceremony/kms-sim';
import type { AuditEntry } from '@byok-ceremony/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ONLINE_OPERATORS,
  opensslWrapArgv,
  rawImportFlags,
  rawPrepareArgv,
} from '../../../test/ceremony/driver.mjs';
import { ONLINE_BIN, runChild, runOnline } from './helpers/run-online.js';
import { simForThisFile } from './helpers/sim-env.js';

const s = simForThisFile();
let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'byok-online-raw-'));
});

const online = (argv: string[]) => runOnline([...s.flags, ...argv], { cwd });

describe('raw mode, as the seed procedure', () => {
  it('prepare --raw-dir, openssl pkeyutl (step 7), import raw files (step 8): Enabled', async () => {
    const created = await online(['create-key', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const { keyId } = JSON.parse(created.stdout) as { keyId: string };

    // The seed's step 4 parameters: RSAES_OAEP_SHA_256 with RSA_2048.
    const prep = await online(rawPrepareArgv(keyId));
    expect(prep.code, prep.stderr).toBe(0);
    expect(await readdir(join(cwd, 'raw'))).toEqual([keyId]);
    const dir = join(cwd, 'raw', keyId);
    const request = JSON.parse(await readFile(join(cwd, 'request.json'), 'utf8')) as {
      targets: { publicKey: string }[];
    };
    const kept = JSON.parse(await readFile(join(cwd, 'request.json.tokens.json'), 'utf8')) as {
      tokens: { importToken: string }[];
    };
    expect((await readFile(join(dir, 'PublicKey.bin'))).toString('base64')).toBe(
      request.targets[0]!.publicKey,
    );
    expect((await readFile(join(dir, 'ImportToken.bin'))).toString('base64')).toBe(
      kept.tokens[0]!.importToken,
    );

    // Steps 3 and 7, verbatim apart from paths.
    execFileSync('openssl', ['rand', '-out', join(cwd, 'PlaintextKeyMaterial.bin'), '32']);
    execFileSync(
      'openssl',
      opensslWrapArgv(
        join(cwd, 'PlaintextKeyMaterial.bin'),
        join(cwd, 'EncryptedKeyMaterial.bin'),
        join(dir, 'PublicKey.bin'),
      ),
    );

    const imp = await online(['import', ...rawImportFlags(keyId), ...ONLINE_OPERATORS, '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    const result = JSON.parse(imp.stdout) as {
      keyArn: string;
      keyState: string;
      keyMaterialId: string;
    };
    expect(result.keyState).toBe('Enabled');
    expect(result.keyMaterialId).toMatch(/^[0-9a-f]{64}$/);

    const status = await online(['status', '--key-id', keyId]);
    expect(status.stdout).toContain('state              Enabled');
    expect(status.stdout).toContain(`${result.keyMaterialId} CURRENT IMPORTED`);

    const log = (await readFile(join(cwd, 'byok-online-audit.jsonl'), 'utf8')).trim().split('\n');
    const last = JSON.parse(log.at(-1)!) as AuditEntry;
    expect(last.exceptions).toEqual(['raw-mode']);
    expect(last.keys[0]).toMatchObject({
      keyArn: result.keyArn,
      keyState: 'Enabled',
      keyMaterialId: result.keyMaterialId,
    });
    expect(Object.keys(last.inputs).sort()).toEqual(['encryptedKeyMaterial', 'importToken']);
  });

  it('refuses an existing --raw-dir before asking KMS, writing no request', async () => {
    const created = await online(['create-key', '--json']);
    const { keyId } = JSON.parse(created.stdout) as { keyId: string };
    await mkdir(join(cwd, 'raw'));
    const r = await online([
      'prepare',
      '--key-id',
      keyId,
      '--out',
      'request.json',
      '--raw-dir',
      'raw',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('raw already exists');
    expect(existsSync(join(cwd, 'request.json'))).toBe(false);
    expect(await readdir(join(cwd, 'raw'))).toEqual([]);
  });

  it('a raw blob wrapped for another key is InvalidCiphertextException with a hint; the key stays PendingImport', async () => {
    const a = JSON.parse((await online(['create-key', '--json'])).stdout) as { keyId: string };
    const b = JSON.parse((await online(['create-key', '--json'])).stdout) as { keyId: string };
    for (const [key, dir] of [
      [a.keyId, 'ra'],
      [b.keyId, 'rb'],
    ] as const) {
      const p = await online(rawPrepareArgv(key, { out: `${dir}.json`, rawDir: dir }));
      expect(p.code, p.stderr).toBe(0);
    }
    await writeFile(join(cwd, 'pt.bin'), Buffer.alloc(32, 1));
    execFileSync(
      'openssl',
      opensslWrapArgv(
        join(cwd, 'pt.bin'),
        join(cwd, 'ekm.bin'),
        join(cwd, 'rb', b.keyId, 'PublicKey.bin'),
      ),
    );
    const r = await online([
      'import',
      ...rawImportFlags(a.keyId, { encrypted: 'ekm.bin', rawDir: 'ra' }),
      ...ONLINE_OPERATORS,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: KMS refused ImportKeyMaterial for \S+: InvalidCiphertextException/,
    );
    expect(r.stderr).toContain(
      'hint: The material was wrapped for another public key or algorithm',
    );
    const status = await online(['status', '--key-id', a.keyId, '--json']);
    expect((JSON.parse(status.stdout) as { keyState: string }).keyState).toBe('PendingImport');
  });
});

describe('--profile', () => {
  it('takes credentials and Region from a named profile (child process, no credentials in the environment)', async () => {
    const config = join(cwd, 'config');
    const credentials = join(cwd, 'credentials');
    await writeFile(
      config,
      `[profile rehearsal]\nregion = ${s.sim.region}\n[profile nocreds]\nregion = ${s.sim.region}\n`,
    );
    await writeFile(
      credentials,
      `[rehearsal]\naws_access_key_id = ${REHEARSAL_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${REHEARSAL_CREDENTIALS.secretAccessKey}\n`,
    );
    const env: Record<string, string | undefined> = {
      ...s.env,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: credentials,
    };
    delete env['AWS_ACCESS_KEY_ID'];
    delete env['AWS_SECRET_ACCESS_KEY'];
    const ok = await runChild(
      ONLINE_BIN,
      ['--endpoint-url', s.sim.url, '--profile', 'rehearsal', 'create-key', '--json'],
      { cwd, env },
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as { arn: string }).arn).toMatch(
      new RegExp(`^arn:aws:kms:${s.sim.region}:`),
    );

    const unknown = await runChild(
      ONLINE_BIN,
      ['--endpoint-url', s.sim.url, '--region', s.sim.region, '--profile', 'nosuch', 'create-key'],
      { cwd, env },
    );
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('error: --profile nosuch names no profile');
    expect(unknown.stderr).toContain('hint: Profiles defined: nocreds, rehearsal.');

    const none = await runChild(
      ONLINE_BIN,
      ['--endpoint-url', s.sim.url, '--region', s.sim.region, '--profile', 'nocreds', 'create-key'],
      { cwd, env },
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('error: no AWS credentials for CreateKey');
    expect(none.stderr).toContain('hint: No AWS credentials found');
  });

  it('AWS_ENDPOINT_URL_KMS points the CLI at the endpoint without --endpoint-url', async () => {
    const env = { ...s.env, AWS_ENDPOINT_URL_KMS: s.sim.url, AWS_REGION: s.sim.region };
    const r = await runChild(ONLINE_BIN, ['create-key', '--json'], { cwd, env });
    expect(r.code, r.stderr).toBe(0);
    const unreachable = await runChild(
      ONLINE_BIN,
      ['--endpoint-url', 'http://127.0.0.1:9', 'create-key'],
      { cwd, env },
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('hint: The endpoint is unreachable: check --endpoint-url');
  });
});
