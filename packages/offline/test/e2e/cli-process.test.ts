import { execFileSync, type ExecFileSyncOptionsWithBufferEncoding } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertWrappedAnswersRequest,
  assertWrappedKeyBundle,
  bundleDigest,
  checkCodeOf,
  type ImportRequestBundle,
} from '@byok-ceremony/shared';
import { opensslWrapArgv, rawWrapFlags, wrapArgv } from '../../../../test/ceremony/driver.mjs';
import { importRequest, keyArn, target, wrappingKeyPair } from '../helpers/request-fixture.js';
import { tempDir } from '../helpers/run-cli.js';
import { runProcess } from '../helpers/run-process.js';
import { unwrapBlob } from '../helpers/unwrap.js';

/** Two operators who type the check code at a prompt, or are refused without one. */
const ALICE_AND_BOB = ['--operator', 'ALICE', '--operator', 'BOB'];

const quiet: ExecFileSyncOptionsWithBufferEncoding = { stdio: ['ignore', 'pipe', 'ignore'] };

/** A request valid by the real clock, since the child process reads it. */
function liveRequest(): ImportRequestBundle {
  const validTo = new Date(Date.now() + 24 * 3600 * 1000);
  const request = importRequest([]);
  return {
    ...request,
    targets: [
      target({ keySpec: 'SYMMETRIC_DEFAULT', validTo }, 0),
      target({ keySpec: 'HMAC_256', validTo }, 1),
      target({ keySpec: 'ECC_NIST_P256', validTo, keyArn: keyArn() }, 2),
    ],
  };
}

describe('byok-offline as a child process', () => {
  it('inspects a request, wraps it and inspects the wrapped bundle', () => {
    const dir = tempDir();
    const request = liveRequest();
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const code = checkCodeOf(bundleDigest(request));

    const inspected = runProcess(['inspect', '--request', 'request.json', '--json'], dir);
    expect(inspected.stderr).toBe('');
    expect(inspected.code).toBe(0);
    const summary = JSON.parse(inspected.stdout) as {
      checkCode?: string;
      targets: { secondsLeft: number }[];
    };
    // The reading machine never shows the code its operators are about to type.
    expect(summary.checkCode).toBeUndefined();
    expect(inspected.stdout).not.toContain(code);
    expect(summary.targets).toHaveLength(3);
    expect(summary.targets[0]!.secondsLeft).toBeGreaterThan(3600);

    const human = runProcess(['inspect', '--request', 'request.json'], dir);
    expect(human.stdout).not.toContain(code);
    expect(human.stdout).toContain('SHA256:');

    const wrapped = runProcess(
      [
        'wrap',
        '--request',
        'request.json',
        '--out',
        'wrapped.json',
        '--no-backup',
        '--json',
        '--operator',
        'ALICE',
        '--check-code',
        code,
        '--operator',
        'BOB',
        '--check-code',
        code,
      ],
      dir,
    );
    expect(wrapped.stderr).toContain('warning: --no-backup');
    expect(wrapped.code).toBe(0);
    const out = JSON.parse(wrapped.stdout) as { checkCode: string; materials: { kcv: string }[] };
    const bundle: unknown = JSON.parse(readFileSync(join(dir, 'wrapped.json'), 'utf8'));
    assertWrappedKeyBundle(bundle);
    assertWrappedAnswersRequest(request, bundle);
    expect(out.checkCode).toBe(checkCodeOf(bundleDigest(bundle)));
    expect(out.materials.map((m) => m.kcv)).toEqual(bundle.materials.map((m) => m.kcv));

    const shown = runProcess(['inspect', '--wrapped', 'wrapped.json'], dir);
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain(out.checkCode);
    for (const m of bundle.materials) expect(shown.stdout).toContain(`KCV ${m.kcv}`);
  });

  it('refuses without check codes and no terminal, exit 1, no output', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'request.json'), JSON.stringify(liveRequest()));
    const result = runProcess(
      wrapArgv('request.json', undefined, 'wrapped.json', ['--no-backup'], ALICE_AND_BOB),
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^byok-offline: error: the import request's check code was not confirmed$/m,
    );
    expect(result.stderr).toMatch(/^byok-offline: hint: /m);
    expect(result.stderr).not.toContain('    at ');
    expect(existsSync(join(dir, 'wrapped.json'))).toBe(false);
  });

  it("raw mode is the seed's step 7: OpenSSL decrypts EncryptedKeyMaterial.bin", () => {
    const dir = tempDir();
    const p = (name: string): string => join(dir, name);
    // Steps 3 and 6 of the seed, with a throwaway key pair standing in for KMS.
    execFileSync(
      'openssl',
      ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', p('kms.pem')],
      quiet,
    );
    execFileSync(
      'openssl',
      ['pkey', '-in', p('kms.pem'), '-pubout', '-outform', 'DER', '-out', p('PublicKey.bin')],
      quiet,
    );
    // Under the runbook's umask 077, so the material file is private (wrap refuses it otherwise).
    execFileSync(
      'sh',
      ['-c', 'umask 077 && openssl rand -out "$0" 32', p('PlaintextKeyMaterial.bin')],
      quiet,
    );

    const result = runProcess(
      ['wrap', ...rawWrapFlags(), '--operator', 'ALICE', '--operator', 'BOB', '--json'],
      dir,
    );
    // Nothing but the log's new head code, the last line of every ceremony command.
    expect(result.stderr).toMatch(
      /^byok-offline: log head code [0-9A-Z]{4}(-[0-9A-Z]{4}){5} \(the witness writes it down; audit head prints it again\)\n$/,
    );
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      keySpec: 'SYMMETRIC_DEFAULT',
      wrappingKeySpec: 'RSA_2048',
      bytes: 256,
    });
    expect(statSync(p('EncryptedKeyMaterial.bin')).size).toBe(256);

    const decrypted = execFileSync(
      'openssl',
      [
        'pkeyutl',
        '-decrypt',
        '-inkey',
        p('kms.pem'),
        '-in',
        p('EncryptedKeyMaterial.bin'),
        '-pkeyopt',
        'rsa_padding_mode:oaep',
        '-pkeyopt',
        'rsa_oaep_md:sha256',
        '-pkeyopt',
        'rsa_mgf1_md:sha256',
      ],
      quiet,
    );
    expect(decrypted.equals(readFileSync(p('PlaintextKeyMaterial.bin')))).toBe(true);

    // The seed's own step 7 output has the same shape and decrypts to the same material.
    execFileSync(
      'openssl',
      opensslWrapArgv(p('PlaintextKeyMaterial.bin'), p('Seed.bin'), p('PublicKey.bin')),
      quiet,
    );
    expect(statSync(p('Seed.bin')).size).toBe(256);

    const log = JSON.parse(readFileSync(p('byok-offline-audit.jsonl'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(log).toMatchObject({ command: 'wrap', outcome: 'ok', exceptions: ['raw-mode'] });
    expect(JSON.stringify(log)).not.toContain(
      readFileSync(p('PlaintextKeyMaterial.bin')).toString('hex'),
    );
  });

  it('raw mode with RSA_AES_KEY_WRAP_SHA_256 wraps an EC private key the wrapping key unwraps', () => {
    const dir = tempDir();
    const p = (name: string): string => join(dir, name);
    const pair = wrappingKeyPair(2048, 3);
    writeFileSync(p('PublicKey.bin'), pair.publicKey.export({ format: 'der', type: 'spki' }));
    execFileSync(
      'openssl',
      [
        'genpkey',
        '-algorithm',
        'EC',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-outform',
        'DER',
        '-out',
        p('ec.der'),
      ],
      quiet,
    );
    const result = runProcess(
      [
        'wrap',
        '--public-key',
        'PublicKey.bin',
        '--wrapping-algorithm',
        'RSA_AES_KEY_WRAP_SHA_256',
        '--key-spec',
        'ECC_NIST_P256',
        '--wrapping-key-spec',
        'RSA_2048',
        '--material-file',
        'ec.der',
        '--out',
        'EncryptedKeyMaterial.bin',
        '--operator',
        'ALICE',
        '--operator',
        'BOB',
      ],
      dir,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ECC_NIST_P256 KCV [0-9A-F]{6}/);
    const blob = readFileSync(p('EncryptedKeyMaterial.bin'));
    // OpenSSL 3.0 writes SEC 1 DER here; KMS takes PKCS#8, so wrap re-encodes it.
    const pkcs8 = execFileSync(
      'openssl',
      ['pkcs8', '-topk8', '-nocrypt', '-inform', 'DER', '-in', p('ec.der'), '-outform', 'DER'],
      quiet,
    );
    expect(unwrapBlob(blob, pair.privateKey, 'RSA_AES_KEY_WRAP_SHA_256').equals(pkcs8)).toBe(true);
  });
});
