import { spawnSync } from 'node:child_process';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  aesCmac,
  bundleDigest,
  checkCodeOf,
  KCV_INPUT_BLOCK,
  type ImportRequestBundle,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import { softHsmToken, SOFTHSM_MODULE, type SoftHsmToken } from '../../../../test/softhsm.js';
import { importRequest, keyArn, wrappingKeyPair } from '../helpers/request-fixture.js';
import { tempDir } from '../helpers/run-cli.js';
import { CLI, runProcess, type ProcessResult } from '../helpers/run-process.js';
import { expectNoNetwork, traceNetwork } from '../helpers/trace-network.js';
import { unwrapBlob } from '../helpers/unwrap.js';

// byok-offline --hsm against a SoftHSM token of each test's own, as a child process: the refusals
// before any code, the network trace, and the material's plaintext nowhere in the process.

const DUMP_PRELOAD = fileURLToPath(new URL('../helpers/dump-memory-at-exit.mjs', import.meta.url));
const PTY_HELPER = fileURLToPath(new URL('../helpers/answer-prompts-pty.py', import.meta.url));
const validTo = () => new Date(Date.now() + 24 * 3600 * 1000);

/** A request SoftHSM can wrap for: SHA-1 OAEP, and the two-step SHA-1 RSA-AES wrap. */
function sha1Request(): ImportRequestBundle {
  return importRequest([
    { keySpec: 'SYMMETRIC_DEFAULT', wrappingAlgorithm: 'RSAES_OAEP_SHA_1', validTo: validTo() },
    { keySpec: 'HMAC_256', wrappingAlgorithm: 'RSAES_OAEP_SHA_1', validTo: validTo() },
    { keySpec: 'ECC_NIST_P256', wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_1', validTo: validTo() },
  ]);
}

function wrapArgs(uri: string, request: ImportRequestBundle | undefined, extra: string[] = []) {
  return [
    'wrap',
    '--request',
    'request.json',
    '--out',
    'wrapped.json',
    '--hsm',
    uri,
    '--operator',
    'CAROL',
    '--operator',
    'DAVE',
    ...(request === undefined
      ? []
      : [
          '--check-code',
          checkCodeOf(bundleDigest(request)),
          '--check-code',
          checkCodeOf(bundleDigest(request)),
        ]),
    ...extra,
  ];
}

async function objectCount(token: SoftHsmToken): Promise<number> {
  const { stdout } = await token.pkcs11Tool(['--list-objects']);
  return stdout.split('\n').filter((l) => /Object;/.test(l)).length;
}

function uriWith(token: SoftHsmToken, changes: { token?: string; module?: string; pin?: string }) {
  return `pkcs11:token=${changes.token ?? token.label}?module-path=${changes.module ?? SOFTHSM_MODULE}&pin-source=file:${changes.pin ?? token.pinFile}`;
}

function expectRefused(r: ProcessResult, message: RegExp, hint: RegExp, work: string): void {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stderr).toMatch(new RegExp(`^byok-offline: error: .*${message.source}`, 'm'));
  expect(r.stderr).toMatch(new RegExp(`^byok-offline: hint: .*${hint.source}`, 'm'));
  expect(r.stderr).not.toMatch(/\n\s+at /);
  // Refused before the check code was asked: with no --check-code this run would stop there.
  expect(r.stderr).not.toContain('check code');
  expect(existsSync(join(work, 'wrapped.json'))).toBe(false);
}

describe('byok-offline --hsm (SoftHSM)', () => {
  it(
    'refuses bad input before any check code is asked, and leaves nothing in the token',
    { timeout: 0 },
    async () => {
      const token = await softHsmToken();
      const work = tempDir();
      const request = sha1Request();
      writeFileSync(join(work, 'request.json'), JSON.stringify(request));
      const run = (uri: string, extra: string[] = []) =>
        runProcess(wrapArgs(uri, undefined, extra), work, [], token.env);

      expectRefused(
        run(uriWith(token, { module: '/nonexistent/libnothing.so' })),
        /the PKCS#11 module \/nonexistent\/libnothing\.so did not load/,
        /module-path/,
        work,
      );
      expectRefused(
        run(uriWith(token, { token: 'absent' })),
        /no token matches the --hsm URI \(tokens present: byok-test/,
        /token= and serial=/,
        work,
      );
      const wrongPin = join(work, 'wrong-pin.txt');
      writeFileSync(wrongPin, '000000\n', { mode: 0o600 });
      expectRefused(
        run(uriWith(token, { pin: wrongPin })),
        /the token refused the PIN/,
        /PIN/,
        work,
      );
      const openPin = join(work, 'open-pin.txt');
      writeFileSync(openPin, `${token.pin}\n`);
      chmodSync(openPin, 0o644);
      expectRefused(
        run(uriWith(token, { pin: openPin })),
        /PIN file .* can be read or written by others \(mode 644\)/,
        /chmod 600/,
        work,
      );
      expectRefused(
        run(`pkcs11:token=${token.label}?module-path=${SOFTHSM_MODULE}&pin-value=${token.pin}`),
        /pin-value is not accepted/,
        /pin-source=file:PATH/,
        work,
      );
      expectRefused(
        run(token.uri, ['--backup', 'shamir:2-of-3', '--backup-dir', 'backup']),
        /--hsm cannot be combined with --backup/,
        /the token's own backup or cloning is the backup/,
        work,
      );
      // SoftHSM 2.6 has no SHA-256 OAEP: the hint names the algorithms it can wrap with.
      const sha256 = importRequest([
        {
          keySpec: 'SYMMETRIC_DEFAULT',
          wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          validTo: validTo(),
        },
      ]);
      writeFileSync(join(work, 'request.json'), JSON.stringify(sha256));
      expectRefused(
        run(token.uri),
        /cannot do what the request needs/,
        /can wrap with: RSAES_OAEP_SHA_1, RSA_AES_KEY_WRAP_SHA_1\./,
        work,
      );
      expect(await objectCount(token)).toBe(0);

      // A request wrapped once: its objects exist, and a second wrap of it is refused.
      writeFileSync(join(work, 'request.json'), JSON.stringify(request));
      const first = runProcess(wrapArgs(token.uri, request), work, [], token.env);
      expect(first.code, first.stderr).toBe(0);
      const made = await objectCount(token);
      expect(made).toBe(4); // two secret keys, and the EC private key with its public key
      writeFileSync(join(work, 'wrapped-first.json'), readFileSync(join(work, 'wrapped.json')));
      rmSync(join(work, 'wrapped.json'));
      expectRefused(
        run(token.uri),
        /the token already holds an object labelled/,
        /recover --hsm/,
        work,
      );
      expect(await objectCount(token)).toBe(made);
    },
  );

  it(
    'without pin-source the PIN is typed at the terminal, after the token is found and before the codes',
    { timeout: 0 },
    async () => {
      const token = await softHsmToken();
      const work = tempDir();
      const request = importRequest([
        { keySpec: 'SYMMETRIC_DEFAULT', wrappingAlgorithm: 'RSAES_OAEP_SHA_1', validTo: validTo() },
      ]);
      writeFileSync(join(work, 'request.json'), JSON.stringify(request));
      const code = checkCodeOf(bundleDigest(request));
      const answers = join(work, 'answers.json');
      writeFileSync(
        answers,
        JSON.stringify([
          [`User PIN of the token ${token.label}`, token.pin],
          ['CAROL, type the check code shown on the other machine', code],
          ['DAVE, type the check code shown on the other machine', code],
        ]),
      );
      const uri = `pkcs11:token=${token.label}?module-path=${SOFTHSM_MODULE}`;
      const args = wrapArgs(uri, undefined);
      const r = spawnSync('python3', [PTY_HELPER, answers, process.execPath, CLI, ...args], {
        cwd: work,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '', ...token.env },
      });
      expect(r.status, r.stdout).toBe(0);
      expect(r.stdout.indexOf('User PIN of the token')).toBeLessThan(
        r.stdout.indexOf('type the check code'),
      );
      expect(existsSync(join(work, 'wrapped.json'))).toBe(true);
      expect(readFileSync(join(work, 'byok-offline-audit.jsonl'), 'utf8')).not.toContain(token.pin);
    },
  );

  it('wrap --hsm and recover --hsm open no Internet socket (strace)', { timeout: 0 }, async () => {
    const token = await softHsmToken();
    const work = tempDir();
    const request = sha1Request();
    writeFileSync(join(work, 'request.json'), JSON.stringify(request));
    const wrap = traceNetwork(process.execPath, [CLI, ...wrapArgs(token.uri, request)], {
      cwd: work,
      env: token.env,
    });
    expect(wrap.code, wrap.stderr).toBe(0);
    expectNoNetwork(wrap);
    // A new request for the same keys: the token's objects are found by their key ARNs.
    const next = importRequest(
      request.targets.map((t) => ({
        keySpec: t.keySpec,
        wrappingAlgorithm: t.wrappingAlgorithm,
        keyArn: t.keyArn,
        validTo: validTo(),
      })),
    );
    writeFileSync(join(work, 'next.json'), JSON.stringify(next));
    const code = checkCodeOf(bundleDigest(next));
    const recover = traceNetwork(
      process.execPath,
      [
        CLI,
        'recover',
        '--hsm',
        token.uri,
        '--request',
        'next.json',
        '--out',
        'again.json',
        '--operator',
        'CAROL',
        '--operator',
        'DAVE',
        '--check-code',
        code,
        '--check-code',
        code,
      ],
      { cwd: work, env: token.env },
    );
    expect(recover.code, recover.stderr).toBe(0);
    expectNoNetwork(recover);
    const kcvs = (file: string) =>
      (JSON.parse(readFileSync(join(work, file), 'utf8')) as WrappedKeyBundle).materials.map(
        (m) => m.kcv,
      );
    expect(kcvs('again.json')).toEqual(kcvs('wrapped.json'));
  });

  it('the memory scan finds a secret a process holds (the check can fail)', () => {
    const work = tempDir();
    const dump = join(tmpdir(), `byok-memory-${randomBytes(6).toString('hex')}`);
    const secret = randomBytes(32);
    const r = runProcess(
      [`globalThis.kept = Buffer.from('${secret.toString('hex')}', 'hex');`],
      work,
      ['--import', DUMP_PRELOAD],
      { BYOK_TEST_MEMORY_DUMP: dump },
      '-e',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(dump).includes(secret)).toBe(true);
  });

  it(
    'the plaintext of token-generated symmetric and HMAC material reaches no output, file or memory of the process',
    { timeout: 0 },
    async () => {
      const token = await softHsmToken();
      const work = tempDir();
      const dump = join(tmpdir(), `byok-memory-${randomBytes(6).toString('hex')}`);
      const request = importRequest([
        {
          keySpec: 'SYMMETRIC_DEFAULT',
          wrappingAlgorithm: 'RSAES_OAEP_SHA_1',
          validTo: validTo(),
          keyArn: keyArn(),
        },
        { keySpec: 'HMAC_256', wrappingAlgorithm: 'RSAES_OAEP_SHA_1', validTo: validTo() },
      ]);
      writeFileSync(join(work, 'request.json'), JSON.stringify(request));
      const wrap = runProcess(
        wrapArgs(token.uri, request, ['--json']),
        work,
        ['--import', DUMP_PRELOAD],
        {
          ...token.env,
          BYOK_TEST_MEMORY_DUMP: dump,
        },
      );
      expect(wrap.code, wrap.stderr).toBe(0);
      const bundle = JSON.parse(
        readFileSync(join(work, 'wrapped.json'), 'utf8'),
      ) as WrappedKeyBundle;
      // The test's own copy of each wrapping private key recovers the material the token wrapped.
      const secrets = bundle.targets.map((t, i) =>
        unwrapBlob(
          Buffer.from(t.encryptedKeyMaterial, 'base64'),
          wrappingKeyPair(2048, i).privateKey,
          request.targets[i]!.wrappingAlgorithm,
        ),
      );
      // It is the material the bundle's KCVs name: the token computed them from the same key.
      const aes = secrets[0]!;
      const cmac = aesCmac((block) => {
        const c = createCipheriv('aes-256-ecb', aes, null).setAutoPadding(false);
        return Buffer.concat([c.update(block), c.final()]);
      }, KCV_INPUT_BLOCK);
      expect(Buffer.from(cmac.subarray(0, 3)).toString('hex').toUpperCase()).toBe(
        bundle.materials[0]!.kcv,
      );
      const hmac = createHmac('sha256', secrets[1]!).update(KCV_INPUT_BLOCK).digest();
      expect(hmac.subarray(0, 3).toString('hex').toUpperCase()).toBe(bundle.materials[1]!.kcv);

      const memory = readFileSync(dump);
      expect(memory.length).toBeGreaterThan(1 << 20);
      const outputs = new Map<string, Buffer>([
        ['stdout', Buffer.from(wrap.stdout)],
        ['stderr', Buffer.from(wrap.stderr)],
        ['wrapped.json', readFileSync(join(work, 'wrapped.json'))],
        ['audit log', readFileSync(join(work, 'byok-offline-audit.jsonl'))],
        ['process memory at exit', memory],
      ]);
      const found: string[] = [];
      for (const [name, secret] of [
        ['SYMMETRIC_DEFAULT', secrets[0]!],
        ['HMAC_256', secrets[1]!],
      ] as const)
        for (const form of [
          secret,
          Buffer.from(secret.toString('hex')),
          Buffer.from(secret.toString('base64')),
        ])
          for (const [where, bytes] of outputs)
            if (bytes.includes(form)) found.push(`${where}: ${name}`);
      expect(found).toEqual([]);
    },
  );
});
