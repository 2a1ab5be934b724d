import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  bundleDigest,
  checkCodeOf,
  type AuditEntry,
  type ImportRequestBundle,
} from '@byok-ceremony/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  importArgv,
  keyIdFlags,
  type ImportResult,
  ONLINE_OPERATORS,
  prepareArgv,
} from '../../../test/ceremony/driver.mjs';
import { runOnline } from './helpers/run-online.js';
import { simForThisFile } from './helpers/sim-env.js';
import { wrapForTest } from './helpers/wrap-for-test.js';

const s = simForThisFile();
let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'byok-online-import-'));
});

const online = (argv: string[], options: Parameters<typeof runOnline>[1] | undefined = undefined) =>
  runOnline([...s.flags, ...argv], { cwd, ...options });

async function createKey(spec: string): Promise<string> {
  const r = await online(['create-key', '--key-spec', spec, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { arn: string }).arn;
}

/** prepare of `arns` with RSA_2048 wrapping keys, writing `out`. */
const prepareArgs = (arns: string[], out = 'request.json') =>
  prepareArgv(out, [...keyIdFlags(arns), '--wrapping-key-spec', 'RSA_2048']);

async function prepare(arns: string[], out = 'request.json'): Promise<ImportRequestBundle> {
  const r = await online([...prepareArgs(arns, out), '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(await readFile(join(cwd, out), 'utf8')) as ImportRequestBundle;
}

async function keyState(arn: string): Promise<string | undefined> {
  const out = await s.kms.send(new DescribeKeyCommand({ KeyId: arn }));
  return out.KeyMetadata?.KeyState;
}

async function auditEntries(): Promise<AuditEntry[]> {
  const text = await readFile(join(cwd, 'byok-online-audit.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditEntry);
}

const importArgs = (code: string): string[] => importArgv('request.json', 'wrapped.json', code);

describe('prepare and import against byok-kms-sim', () => {
  it('imports and proves HMAC, EC and symmetric keys, and logs every step', async () => {
    const arns = [
      await createKey('SYMMETRIC_DEFAULT'),
      await createKey('HMAC_256'),
      await createKey('ECC_NIST_P256'),
    ];
    const prep = await online(prepareArgs(arns));
    expect(prep.code, prep.stderr).toBe(0);
    const request = JSON.parse(
      await readFile(join(cwd, 'request.json'), 'utf8'),
    ) as ImportRequestBundle;
    expect(prep.stdout).toContain(
      `read it aloud to the offline operators): ${checkCodeOf(bundleDigest(request))}`,
    );
    expect(request.targets.map((t) => [t.keySpec, t.materialGroup, t.wrappingAlgorithm])).toEqual([
      ['SYMMETRIC_DEFAULT', 'k1', 'RSAES_OAEP_SHA_256'],
      ['HMAC_256', 'k2', 'RSAES_OAEP_SHA_256'],
      ['ECC_NIST_P256', 'k3', 'RSAES_OAEP_SHA_256'],
    ]);
    expect(request.operators).toEqual(['ALICE', 'BOB']);

    const wrapped = wrapForTest(request);
    await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrapped));
    const code = checkCodeOf(bundleDigest(wrapped));
    const r = await online([...importArgs(code.toLowerCase()), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as ImportResult;
    expect(result.checkCode).toBe(code);
    expect(result.keys.map((k) => [k.keyArn, k.keyState, k.proof, k.proven])).toEqual([
      [arns[0], 'Enabled', 'kcv-only', false],
      [arns[1], 'Enabled', 'hmac', true],
      [arns[2], 'Enabled', 'public-key', true],
    ]);
    for (const k of result.keys) expect(k.keyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    for (const arn of arns) expect(await keyState(arn)).toBe('Enabled');

    const entries = await auditEntries();
    expect(entries.map((e) => [e.command, e.outcome])).toEqual([
      ['create-key', 'ok'],
      ['create-key', 'ok'],
      ['create-key', 'ok'],
      ['prepare', 'ok'],
      ['import', 'ok'],
    ]);
    const prepEntry = entries[3]!;
    expect(request.auditLogHead).toBe(entries[3]!.prev);
    expect(prepEntry.checkCodes).toEqual({ request: checkCodeOf(bundleDigest(request)) });
    const imp = entries[4]!;
    expect(imp.checkCodes).toEqual({ wrapped: code });
    expect(imp.peerLogHead).toBe(wrapped.auditLogHead);
    expect(imp.keys.map((k) => [k.proof, k.keyState, k.kcv])).toEqual(
      wrapped.materials.map((m) => [m.proof.kind, 'Enabled', m.kcv]),
    );
    expect(imp.kmsRequestIds.length).toBeGreaterThanOrEqual(6);
    expect(Object.keys(imp.inputs).sort()).toEqual([
      'request',
      'requestFile',
      'tokensFile',
      'wrapped',
      'wrappedFile',
    ]);
    // No secret in the log: the encrypted blobs and MACs are not there either.
    const log = await readFile(join(cwd, 'byok-online-audit.jsonl'), 'utf8');
    expect(log).not.toContain(wrapped.targets[0]!.encryptedKeyMaterial.slice(0, 40));

    // A second run says the import is complete (exit 0, nothing sent); --resume finds every key done.
    const plain = await online(importArgs(code));
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain('the import of this request is complete: all 3 key(s)');
    const again = await online([...importArgs(code), '--resume']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('resuming the journaled import: 3 of 3 key(s) done');
    expect(again.stdout).toContain('GenerateMac matches the offline value: proven');
  });

  it('prompts each operator on a terminal when no --check-code is given', async () => {
    const arn = await createKey('HMAC_256');
    const request = await prepare([arn]);
    const wrapped = wrapForTest(request);
    await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrapped));
    const code = checkCodeOf(bundleDigest(wrapped));
    const r = await online(
      ['import', '--request', 'request.json', '--wrapped', 'wrapped.json', ...ONLINE_OPERATORS],
      {
        cwd,
        interactive: true,
        stdinText: `${code}\n${code.replace(/-/g, ' ')}\n`,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('ALICE, type the check code shown on the other machine: ');
    expect(r.stderr).toContain('BOB, type the check code shown on the other machine: ');
    // Nothing this machine printed before both codes were confirmed shows the code.
    const [before] = r.stderr.split('byok-online: Check code confirmed by ALICE and BOB\n');
    expect(before).not.toBe(r.stderr);
    expect(before).not.toContain(code);
    expect(await keyState(arn)).toBe('Enabled');
  });

  it('an operator key file that cannot be read is refused before any code is asked', async () => {
    const arn = await createKey('SYMMETRIC_DEFAULT');
    const request = await prepare([arn]);
    const wrapped = wrapForTest(request);
    await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrapped));
    const code = checkCodeOf(bundleDigest(wrapped));
    const r = await online(
      [
        'import',
        '--request',
        'request.json',
        '--wrapped',
        'wrapped.json',
        ...ONLINE_OPERATORS,
      ].concat(['--operator-key', 'alice.key.json', '--operator-key', 'bob.key.json']),
      { cwd, interactive: true, stdinText: `${code}\n${code}\n` },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^byok-online: error: .*alice\.key\.json/m);
    expect(r.stderr).not.toContain('type the check code');
    const last = (await auditEntries()).at(-1)!;
    expect(last).toMatchObject({ command: 'import', outcome: 'error', exceptions: [] });
    expect(last.checkCodes).toEqual({});
    expect(await keyState(arn)).toBe('PendingImport');
  });

  it('--resume with a journal of another wrapped bundle is refused before any code is asked', async () => {
    const arn = await createKey('SYMMETRIC_DEFAULT');
    const request = await prepare([arn]);
    const wrapped = wrapForTest(request);
    await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrapped));
    const header = {
      format: 'byok-import-journal/2',
      request: bundleDigest(request),
      wrapped: '0'.repeat(64),
      targets: 1,
      time: new Date().toISOString(),
    };
    await writeFile(join(cwd, 'request.json.journal.jsonl'), `${JSON.stringify(header)}\n`);
    const code = checkCodeOf(bundleDigest(wrapped));
    const r = await online(
      [
        'import',
        '--request',
        'request.json',
        '--wrapped',
        'wrapped.json',
        ...ONLINE_OPERATORS,
      ].concat(['--resume']),
      { cwd, interactive: true, stdinText: `${code}\n${code}\n` },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^byok-online: error: .*started with another wrapped-key bundle/m);
    expect(r.stderr).not.toContain('type the check code');
    expect(await keyState(arn)).toBe('PendingImport');
  });

  it('a wrong check code stops before any import: the key stays PendingImport', async () => {
    const arn = await createKey('SYMMETRIC_DEFAULT');
    const request = await prepare([arn]);
    const wrapped = wrapForTest(request);
    await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrapped));
    const right = checkCodeOf(bundleDigest(wrapped));
    const wrong = checkCodeOf(bundleDigest(request));
    const r = await online([
      'import',
      '--request',
      'request.json',
      '--wrapped',
      'wrapped.json',
      ...ONLINE_OPERATORS,
      '--check-code',
      right,
      '--check-code',
      wrong,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: the check code confirmed by BOB does not match this wrapped-key bundle',
    );
    expect(r.stderr).toContain('hint: Compare the code on both screens');
    expect(r.stderr).not.toContain(right);
    expect(await keyState(arn)).toBe('PendingImport');
    const last = (await auditEntries()).at(-1)!;
    expect([last.command, last.outcome, last.error?.code]).toEqual([
      'import',
      'error',
      'ERR_CHECK_CODE_MISMATCH',
    ]);
    expect(last.kmsRequestIds).toEqual([]);
  });

  it('refuses a wrapped bundle made for another request', async () => {
    const arn = await createKey('SYMMETRIC_DEFAULT');
    const first = await prepare([arn], 'first.json');
    const wrappedForFirst = wrapForTest(first);
    await prepare([arn]);
    await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrappedForFirst));
    const r = await online(importArgs(checkCodeOf(bundleDigest(wrappedForFirst))));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: The wrapped bundle does not answer this import request:');
    expect(r.stderr).toContain('hint: Give import the request file that byok-offline wrap read');
    expect(await keyState(arn)).toBe('PendingImport');
  });

  it('refuses by this machine clock when the parameters have expired', async () => {
    const arn = await createKey('SYMMETRIC_DEFAULT');
    const request = await prepare([arn]);
    const wrapped = wrapForTest(request);
    await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrapped));
    const later = new Date(Date.parse(request.targets[0]!.parametersValidTo) + 60_000);
    const r = await online(importArgs(checkCodeOf(bundleDigest(wrapped))), {
      cwd,
      now: () => later,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: the import parameters expired for 1 key(s):');
    expect(r.stderr).toContain(
      `hint: Import parameters live 24 hours; nothing was sent to KMS, and --resume cannot bring them back. Prepare again (byok-online prepare --key-id ${arn} --out NEW_REQUEST; with --reimport`,
    );
    expect(r.stderr).toContain('recover the same material for the new request');
    expect(r.stderr).not.toMatch(/wrap again/i);
    expect(existsSync(join(cwd, 'request.json.journal.jsonl'))).toBe(false);
    expect(await keyState(arn)).toBe('PendingImport');
  });

  it('a failed proof names the key and stops', async () => {
    const arn = await createKey('HMAC_256');
    const request = await prepare([arn]);
    const wrapped = wrapForTest(request, (m) =>
      m.proof.kind === 'hmac'
        ? { ...m, proof: { kind: 'hmac', mac: Buffer.alloc(32, 7).toString('base64') } }
        : m,
    );
    await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrapped));
    const r = await online(importArgs(checkCodeOf(bundleDigest(wrapped))));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: ${arn}: GenerateMac in KMS differs from the MAC computed offline`,
    );
    expect(r.stderr).toContain('hint: The material in KMS is not the material wrapped offline');
    expect(r.stderr).toContain(`imported before the failure: ${arn} (Enabled)`);
    const last = (await auditEntries()).at(-1)!;
    expect(last.error?.code).toBe('ERR_PROOF_FAILED');
    expect(last.keys[0]?.keyArn).toBe(arn);
  });
});

describe('prepare refusals', () => {
  it('refuses an unknown key with the KMS error and a hint, writing nothing', async () => {
    const r = await online([
      'prepare',
      '--key-id',
      '00000000-0000-0000-0000-000000000000',
      '--out',
      'request.json',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: KMS refused DescribeKey for 00000000-0000-0000-0000-000000000000: NotFoundException/,
    );
    expect(r.stderr).toContain('hint: Check the key id');
    expect(existsSync(join(cwd, 'request.json'))).toBe(false);
    const last = (await auditEntries()).at(-1)!;
    expect([last.command, last.outcome]).toEqual(['prepare', 'error']);
  });

  it('refuses an AWS_KMS-origin key (and names every bad key) before GetParametersForImport', async () => {
    const own = await s.kms.send(new CreateKeyCommand({}));
    const good = await createKey('SYMMETRIC_DEFAULT');
    const r = await online([
      'prepare',
      '--key-id',
      good,
      '--key-id',
      own.KeyMetadata!.Arn!,
      '--out',
      'request.json',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: cannot prepare an import for 1 key(s):');
    expect(r.stderr).toContain(`${own.KeyMetadata!.Arn!}: its origin is AWS_KMS, not EXTERNAL`);
    expect(r.stderr).toContain('nothing was requested from KMS yet');
    expect(existsSync(join(cwd, 'request.json'))).toBe(false);
    // Only the two DescribeKey calls reached KMS.
    const last = (await auditEntries()).at(-1)!;
    expect(last.kmsRequestIds).toHaveLength(2);
  });

  it('refuses a wrapping algorithm the key spec cannot take', async () => {
    const arn = await createKey('SYMMETRIC_DEFAULT');
    const r = await online([
      'prepare',
      '--key-id',
      arn,
      '--wrapping-algorithm',
      'RSA_AES_KEY_WRAP_SHA_256',
      '--out',
      'request.json',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('RSA_AES_KEY_WRAP_SHA_256 cannot wrap SYMMETRIC_DEFAULT material');
    expect(existsSync(join(cwd, 'request.json'))).toBe(false);
  });

  it('never overwrites --out', async () => {
    const arn = await createKey('SYMMETRIC_DEFAULT');
    await writeFile(join(cwd, 'request.json'), 'keep me');
    const r = await online(['prepare', '--key-id', arn, '--out', 'request.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('request.json already exists');
    expect(r.stderr).toContain('hint: Outputs are never overwritten');
    expect(await readFile(join(cwd, 'request.json'), 'utf8')).toBe('keep me');
    expect(await keyState(arn)).toBe('PendingImport');
  });

  it('creates a key with alias, tags and usage, and finds it by alias', async () => {
    const r = await online([
      'create-key',
      '--key-spec',
      'ECC_NIST_P256',
      '--key-usage',
      'KEY_AGREEMENT',
      '--alias',
      'ceremony/ec1',
      '--tag',
      'owner=payments',
      '--description',
      'test key',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const created = JSON.parse(r.stdout) as { keyId: string; arn: string; alias: string };
    expect(created.alias).toBe('alias/ceremony/ec1');
    const status = await online(['status', '--key-id', 'alias/ceremony/ec1', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      keyArn: created.arn,
      keyState: 'PendingImport',
      origin: 'EXTERNAL',
      keySpec: 'ECC_NIST_P256',
      keyUsage: 'KEY_AGREEMENT',
      keyMaterials: null,
    });
  });

  it('says clearly when no Region is configured', async () => {
    const r = await runOnline(['--endpoint-url', s.sim.url, 'status', '--key-id', 'x'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: no AWS Region');
    expect(r.stderr).toContain('hint: Pass --region REGION');
  });
});

describe('expired import token', () => {
  it("reports KMS's ExpiredImportTokenException with a hint when KMS's clock says so", async () => {
    const arn = await createKey('SYMMETRIC_DEFAULT');
    const request = await prepare([arn]);
    const wrapped = wrapForTest(request);
    await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrapped));
    // The simulator's clock only moves forward, so this runs last in the file.
    s.sim.advanceClock(25 * 3600);
    {
      const r = await online(importArgs(checkCodeOf(bundleDigest(wrapped))));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /error: KMS refused ImportKeyMaterial for arn:aws:kms:\S+: ExpiredImportTokenException: /,
      );
      expect(r.stderr).toContain(
        'hint: Import parameters live 24 hours, and --resume cannot bring them back. Prepare again (byok-online prepare',
      );
      expect(r.stderr).toContain('recover the same material for the new request');
      expect(r.stderr).not.toMatch(/wrap again/i);
      expect(await keyState(arn)).toBe('PendingImport');
      const last = (await auditEntries()).at(-1)!;
      expect(last.error?.code).toBe('ERR_KMS');
      expect(last.kmsRequestIds.length).toBeGreaterThan(0);
    }
    {
      // --resume meets the same expired token: it says again what works, not --resume.
      const r = await online([...importArgs(checkCodeOf(bundleDigest(wrapped))), '--resume']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('ExpiredImportTokenException');
      expect(r.stderr).toContain('recover the same material for the new request');
      expect(r.stderr).not.toMatch(/with --resume: it imports|wrap again/i);
    }
  });
});
