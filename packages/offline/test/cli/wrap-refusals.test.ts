import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleDigest, checkCodeOf, type ImportRequestBundle } from '@byok-ceremony/shared';
import {
  NOW,
  importRequest,
  spkiBase64,
  wrappingKeyPair,
  type TargetOptions,
} from '../helpers/request-fixture.js';
import { runCli, tempDir, type CliResult } from '../helpers/run-cli.js';

const HOUR = 3600 * 1000;

interface Attempt {
  readonly dir: string;
  readonly result: CliResult;
}

function codeOf(request: ImportRequestBundle): string {
  return checkCodeOf(bundleDigest(request));
}

async function attempt(
  request: ImportRequestBundle | string,
  args: readonly string[],
  setup?: (dir: string) => void,
): Promise<Attempt> {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'request.json'),
    typeof request === 'string' ? request : JSON.stringify(request),
  );
  setup?.(dir);
  const result = await runCli(
    ['wrap', '--request', 'request.json', '--out', 'wrapped.json', ...args],
    dir,
  );
  return { dir, result };
}

function both(code: string): string[] {
  return ['--operator', 'ALICE', '--check-code', code, '--operator', 'BOB', '--check-code', code];
}

function auditEntries(dir: string): Record<string, unknown>[] {
  const path = join(dir, 'byok-offline-audit.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The shape every refusal has: coded error and hint on stderr, no output, one error entry. */
function expectRefused(
  { dir, result }: Attempt,
  exitCode: number,
  code: string,
  message: RegExp,
  hint: RegExp,
  logged = true,
): void {
  expect(result.code).toBe(exitCode);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(new RegExp(`^byok-offline: error: .*${message.source}`, 'm'));
  expect(result.stderr).toMatch(new RegExp(`^byok-offline: hint: .*${hint.source}`, 'm'));
  expect(existsSync(join(dir, 'wrapped.json'))).toBe(false);
  const entries = auditEntries(dir);
  if (logged) {
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ command: 'wrap', outcome: 'error', error: { code } });
  } else {
    expect(entries).toHaveLength(0);
  }
}

const SYMMETRIC: TargetOptions[] = [{ keySpec: 'SYMMETRIC_DEFAULT' }];

describe('wrap refuses', () => {
  it('a wrong check code', async () => {
    const request = importRequest(SYMMETRIC);
    const code = codeOf(request);
    const wrong = code.replace(/^./, code.startsWith('0') ? '1' : '0');
    const a = await attempt(request, [
      '--no-backup',
      ...['--operator', 'ALICE', '--check-code', code, '--operator', 'BOB', '--check-code', wrong],
    ]);
    expectRefused(
      a,
      1,
      'ERR_CHECK_CODE_MISMATCH',
      /confirmed by BOB does not match/,
      /substituted/,
    );
    expect(a.result.stderr).not.toMatch(/error: .*ALICE/);
    // Neither the summary, the error nor the log shows the code or digest, in any spelling.
    const log = readFileSync(join(a.dir, 'byok-offline-audit.jsonl'), 'utf8');
    for (const text of [a.result.stdout + a.result.stderr, log]) {
      expect(text.replace(/[-\s]/g, '').toLowerCase()).not.toContain(
        code.replace(/-/g, '').toLowerCase(),
      );
      expect(text.toLowerCase()).not.toContain(bundleDigest(request));
    }
    expect(a.result.stderr).not.toContain('Check code confirmed');
  });

  it('a substituted wrapping key under the check code of the original request', async () => {
    const request = importRequest(SYMMETRIC);
    const code = codeOf(request);
    const swapped: ImportRequestBundle = {
      ...request,
      targets: [
        { ...request.targets[0]!, publicKey: spkiBase64(wrappingKeyPair(2048, 7).publicKey) },
      ],
    };
    const a = await attempt(swapped, ['--no-backup', ...both(code)]);
    expectRefused(
      a,
      1,
      'ERR_CHECK_CODE_MISMATCH',
      /does not match this import request/,
      /substituted/,
    );
  });

  it('a missing check code without a terminal', async () => {
    const a = await attempt(importRequest(SYMMETRIC), [
      '--no-backup',
      '--operator',
      'ALICE',
      '--operator',
      'BOB',
    ]);
    expectRefused(
      a,
      1,
      'ERR_CHECK_CODE_REQUIRED',
      /check code was not confirmed/,
      /--check-code CODE/,
    );
  });

  it('one operator without --single-operator', async () => {
    const request = importRequest(SYMMETRIC);
    const a = await attempt(request, [
      '--no-backup',
      '--operator',
      'ALICE',
      '--check-code',
      codeOf(request),
    ]);
    expectRefused(a, 1, 'ERR_OPERATORS', /two operators are required, got 1/, /--single-operator/);
  });

  it('the same operator named twice', async () => {
    const request = importRequest(SYMMETRIC);
    const code = codeOf(request);
    const a = await attempt(request, [
      '--no-backup',
      ...['--operator', 'ALICE', '--check-code', code, '--operator', 'ALICE', '--check-code', code],
    ]);
    // Refused with the arguments, before anything is read or logged.
    expectRefused(a, 1, 'ERR_OPERATORS', /named twice/, /different person/, false);
  });

  it("expired parameters, naming this machine's clock", async () => {
    const request = importRequest([
      { keySpec: 'SYMMETRIC_DEFAULT' },
      { keySpec: 'HMAC_256', validTo: new Date(NOW.getTime() - 1000) },
    ]);
    const a = await attempt(request, ['--no-backup', ...both(codeOf(request))]);
    expectRefused(
      a,
      1,
      'ERR_PARAMETERS_EXPIRED',
      new RegExp(
        `import parameters of ${request.targets[1]!.keyArn} expired at .*this machine's clock \\(system time, UTC\\) says 2026-11-29T10:00:00.000Z`,
      ),
      /Check this air-gapped machine's clock.*prepare again/,
    );
  });

  it('warns when less than an hour is left', async () => {
    const request = importRequest([
      { keySpec: 'SYMMETRIC_DEFAULT', validTo: new Date(NOW.getTime() + HOUR / 2) },
    ]);
    const a = await attempt(request, ['--no-backup', ...both(codeOf(request))]);
    expect(a.result.code).toBe(0);
    expect(a.result.stderr).toMatch(
      /warning: the import parameters of .* expire in 30 minute\(s\)/,
    );
  });

  it('a 1024-bit wrapping key', async () => {
    const request = importRequest(SYMMETRIC);
    const weak: ImportRequestBundle = {
      ...request,
      targets: [{ ...request.targets[0]!, publicKey: spkiBase64(wrappingKeyPair(1024).publicKey) }],
    };
    const a = await attempt(weak, ['--no-backup', ...both(codeOf(weak))]);
    expectRefused(a, 1, 'ERR_BUNDLE_INVALID', /import request is invalid/, /prepare again/);
    expect(a.result.stderr).toContain(
      '$.targets[0].publicKey: is 162 bytes, but an RSA_2048 public key is 294 bytes of DER',
    );
  });

  it('a wrapping key whose size does not match the declared spec', async () => {
    const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT', wrappingKeySpec: 'RSA_3072' }]);
    const lying: ImportRequestBundle = {
      ...request,
      targets: [{ ...request.targets[0]!, wrappingKeySpec: 'RSA_2048' }],
    };
    const a = await attempt(lying, ['--no-backup', ...both(codeOf(lying))]);
    expectRefused(a, 1, 'ERR_BUNDLE_INVALID', /import request is invalid/, /prepare again/);
    expect(a.result.stderr).toContain('$.targets[0].publicKey: is 422 bytes, but an RSA_2048');
  });

  it('a wrapping key of the right size with an exponent KMS never uses', async () => {
    const request = importRequest(SYMMETRIC);
    const spki = Buffer.from(request.targets[0]!.publicKey, 'base64');
    // The exponent 65537 (02 03 01 00 01) closes the DER; 65539 keeps every length the same.
    expect(spki.subarray(-5).toString('hex')).toBe('0203010001');
    spki[spki.length - 1] = 0x03;
    const odd: ImportRequestBundle = {
      ...request,
      targets: [{ ...request.targets[0]!, publicKey: spki.toString('base64') }],
    };
    const a = await attempt(odd, ['--no-backup', ...both(codeOf(odd))]);
    expectRefused(
      a,
      1,
      'ERR_WRAPPING_KEY_INVALID',
      /public exponent 65539/,
      /does not come from KMS/,
    );
  });

  it('a combination KMS refuses', async () => {
    const request = importRequest([
      { keySpec: 'ECC_NIST_P521', wrappingAlgorithm: 'RSAES_OAEP_SHA_256' },
    ]);
    const a = await attempt(request, ['--no-backup', ...both(codeOf(request))]);
    expectRefused(a, 1, 'ERR_BUNDLE_INVALID', /import request is invalid/, /prepare again/);
    expect(a.result.stderr).toContain(
      '$.targets[0].wrappingAlgorithm: RSAES_OAEP_SHA_256 with RSA_2048 carries at most 190 bytes',
    );
  });

  it('a tampered request, listing every bad path', async () => {
    const request = importRequest(SYMMETRIC) as unknown as Record<string, unknown>;
    const targets = request['targets'] as Record<string, unknown>[];
    targets[0]!['keySpec'] = 'AES_128';
    targets[0]!['note'] = 'edited';
    request['createdAt'] = 'yesterday';
    const a = await attempt(JSON.stringify(request), [
      '--no-backup',
      ...both('0000-0000-0000-0000-0000'),
    ]);
    expectRefused(
      a,
      1,
      'ERR_BUNDLE_INVALID',
      /import request is invalid \(3 problem/,
      /prepare again/,
    );
    expect(a.result.stderr).toContain('$.createdAt: must be an RFC 3339');
    expect(a.result.stderr).toContain('$.targets[0].note: unknown field');
    expect(a.result.stderr).toContain('$.targets[0].keySpec: must be one of');
  });

  it('a request that is not JSON', async () => {
    const a = await attempt('{"format":', ['--no-backup', ...both('0000-0000-0000-0000-0000')]);
    expectRefused(
      a,
      1,
      'ERR_BUNDLE_INVALID',
      /not valid UTF-8 JSON/,
      /exactly as the other machine wrote it/,
    );
  });

  it('a request with a key given twice, naming the key and where it is', async () => {
    const request = importRequest(SYMMETRIC);
    // JSON.parse would keep the second ARN, under the check code of the request it came from.
    const text = JSON.stringify(request).replace(
      '"keyArn":',
      '"keyArn":"arn:aws:kms:eu-west-2:111122223333:key/00000000-0000-0000-0000-000000000000","keyArn":',
    );
    const a = await attempt(text, ['--no-backup', ...both(codeOf(request))]);
    expectRefused(
      a,
      1,
      'ERR_BUNDLE_INVALID',
      /not valid UTF-8 JSON: duplicate key "keyArn" in the object at \$\.targets\[0\]/,
      /exactly as the other machine wrote it/,
    );
  });

  it('a --material-file of the wrong size, saying both sizes', async () => {
    const request = importRequest(SYMMETRIC);
    const a = await attempt(
      request,
      ['--material-file', 'material.bin', ...both(codeOf(request))],
      (dir) => {
        writeFileSync(
          join(dir, 'material.bin'),
          Buffer.from(execFileSync('openssl', ['rand', '31'])),
          { mode: 0o600 },
        );
      },
    );
    expectRefused(
      a,
      1,
      'ERR_MATERIAL_INVALID',
      /the material file has 31 bytes; SYMMETRIC_DEFAULT material is exactly 32 raw bytes/,
      /not hex or base64/,
    );
  });

  it('a --material-file holding a key of the wrong curve', async () => {
    const request = importRequest([{ keySpec: 'ECC_NIST_P256' }]);
    const a = await attempt(
      request,
      ['--material-file', 'ec.pem', ...both(codeOf(request))],
      (dir) => {
        execFileSync('openssl', [
          'ecparam',
          '-name',
          'secp384r1',
          '-genkey',
          '-noout',
          '-out',
          join(dir, 'ec.pem'),
        ]);
      },
    );
    expectRefused(
      a,
      1,
      'ERR_MATERIAL_INVALID',
      /ec key on secp384r1; ECC_NIST_P256 needs an EC key on prime256v1/,
      /prime256v1/,
    );
  });

  it('--material-file with a request of several material groups', async () => {
    const request = importRequest([
      { keySpec: 'SYMMETRIC_DEFAULT' },
      { keySpec: 'SYMMETRIC_DEFAULT' },
    ]);
    const a = await attempt(
      request,
      ['--material-file', 'material.bin', ...both(codeOf(request))],
      (dir) => {
        writeFileSync(join(dir, 'material.bin'), Buffer.alloc(32, 1), { mode: 0o600 });
      },
    );
    expectRefused(
      a,
      2,
      'ERR_USAGE',
      /--material-file gives one material, but the request has 2 material groups/,
      /Leave out --material-file/,
    );
  });

  it('an existing --out, leaving it untouched', async () => {
    const request = importRequest(SYMMETRIC);
    const a = await attempt(request, ['--no-backup', ...both(codeOf(request))], (dir) => {
      writeFileSync(join(dir, 'wrapped.json'), 'precious');
    });
    expect(a.result.code).toBe(1);
    expect(a.result.stderr).toMatch(/^byok-offline: error: .*wrapped.json already exists/m);
    expect(a.result.stderr).toMatch(/^byok-offline: hint: Outputs are never overwritten/m);
    expect(readFileSync(join(a.dir, 'wrapped.json'), 'utf8')).toBe('precious');
    expect(auditEntries(a.dir)[0]).toMatchObject({
      outcome: 'error',
      error: { code: 'ERR_OUTPUT_EXISTS' },
    });
  });

  it('generated material without a backup choice, before any file is read or anything asked', async () => {
    const request = importRequest(SYMMETRIC);
    const a = await attempt(request, both(codeOf(request)));
    expectRefused(
      a,
      1,
      'ERR_BACKUP_REQUIRED',
      /generated material needs a backup/,
      /KMS cannot export imported material.*--backup shamir:M-of-N.*--no-backup is for rehearsals only/,
      false,
    );
  });

  it('a world- or group-readable --material-file, with the umask hint', async () => {
    const request = importRequest(SYMMETRIC);
    for (const mode of [0o644, 0o640]) {
      const a = await attempt(
        request,
        ['--material-file', 'material.bin', ...both(codeOf(request))],
        (dir) => {
          writeFileSync(join(dir, 'material.bin'), Buffer.alloc(32, 1), { mode });
        },
      );
      expectRefused(
        a,
        1,
        'ERR_MATERIAL_PERMISSIONS',
        /material file .*material\.bin can be read or written by others/,
        /chmod 600 .*umask 077/,
      );
    }
  });

  it('raw-mode flags mixed with --request, before opening any file', async () => {
    const a = await attempt(importRequest(SYMMETRIC), [
      '--wrapping-algorithm',
      'RSAES_OAEP_SHA_256',
      '--no-backup',
    ]);
    expectRefused(
      a,
      2,
      'ERR_USAGE',
      /--request cannot be combined with --wrapping-algorithm/,
      /--help/,
      false,
    );
  });

  it('an invalid operator name, before opening any file', async () => {
    const a = await attempt(importRequest(SYMMETRIC), ['--operator', '-x', '--operator', 'BOB']);
    expect(a.result.code).toBe(2);
    expect(existsSync(join(a.dir, 'wrapped.json'))).toBe(false);
    expect(auditEntries(a.dir)).toHaveLength(0);
  });

  it('unknown options', async () => {
    const a = await attempt(importRequest(SYMMETRIC), ['--no-bakup']);
    expectRefused(a, 2, 'ERR_USAGE', /unknown option/, /--help/, false);
  });

  it('a value outside its choices, in our words, not yargs raw text', async () => {
    const a = await attempt(importRequest(SYMMETRIC), ['--key-spec', 'AES_999']);
    expectRefused(
      a,
      2,
      'ERR_USAGE',
      /--key-spec "AES_999" is not one of its choices/,
      /Give one of the values/,
      false,
    );
    expect(a.result.stderr).not.toMatch(/Invalid values|Argument: key-spec, Given/);
  });
});
