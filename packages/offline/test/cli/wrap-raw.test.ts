import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wrappingKeyPair } from '../helpers/request-fixture.js';
import { runCli, tempDir } from '../helpers/run-cli.js';

function rawDir(bits: number, materialBytes = 32): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'PublicKey.bin'),
    wrappingKeyPair(bits).publicKey.export({ format: 'der', type: 'spki' }),
  );
  writeFileSync(join(dir, 'material.bin'), Buffer.alloc(materialBytes, 7), { mode: 0o600 });
  return dir;
}

const RAW = [
  'wrap',
  '--public-key',
  'PublicKey.bin',
  '--material-file',
  'material.bin',
  '--out',
  'EncryptedKeyMaterial.bin',
  '--operator',
  'ALICE',
  '--operator',
  'BOB',
];

describe('wrap --public-key (raw mode) refuses', () => {
  it.each([
    [
      'a 1024-bit wrapping key',
      1024,
      [],
      'ERR_WRAPPING_KEY_INVALID',
      /1024-bit RSA key; KMS wrapping keys have at least 2048 bits/,
    ],
    [
      'a key that is not the declared --wrapping-key-spec',
      2048,
      ['--wrapping-key-spec', 'RSA_4096'],
      'ERR_WRAPPING_KEY_INVALID',
      /is RSA_2048 but is declared as RSA_4096/,
    ],
    [
      'a combination KMS refuses',
      2048,
      ['--key-spec', 'ECC_NIST_P521'],
      'ERR_UNSUPPORTED_COMBINATION',
      /carries at most 190 bytes/,
    ],
    [
      'AES key wrap for symmetric material',
      2048,
      ['--wrapping-algorithm', 'RSA_AES_KEY_WRAP_SHA_256'],
      'ERR_UNSUPPORTED_COMBINATION',
      /cannot wrap SYMMETRIC_DEFAULT material/,
    ],
    [
      'material of the wrong size',
      2048,
      ['--key-spec', 'HMAC_512'],
      'ERR_MATERIAL_INVALID',
      /has 32 bytes; HMAC_512 material is 64 to 128 raw bytes/,
    ],
  ] as const)('%s', async (_name, bits, extra, code, message) => {
    const dir = rawDir(bits);
    const args = (extra as readonly string[]).includes('--wrapping-algorithm')
      ? [...RAW, ...extra]
      : [...RAW, '--wrapping-algorithm', 'RSAES_OAEP_SHA_256', ...extra];
    const result = await runCli(args, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^byok-offline: error: .*${message.source}`, 'm'));
    expect(result.stderr).toMatch(/^byok-offline: hint: /m);
    expect(existsSync(join(dir, 'EncryptedKeyMaterial.bin'))).toBe(false);
    const entry = JSON.parse(readFileSync(join(dir, 'byok-offline-audit.jsonl'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(entry).toMatchObject({ outcome: 'error', exceptions: ['raw-mode'], error: { code } });
  });

  it.each([
    [
      ['--check-code', '0000-0000-0000-0000-0000'],
      /--public-key cannot be combined with --check-code/,
    ],
    [['--request', 'request.json'], /--public-key cannot be combined with --request/],
    [['--no-backup'], /--public-key cannot be combined with --backup/],
  ])('flags of bundle mode: %s, before opening any file', async (extra, message) => {
    const dir = rawDir(2048);
    const result = await runCli(
      [...RAW, '--wrapping-algorithm', 'RSAES_OAEP_SHA_256', ...extra],
      dir,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(existsSync(join(dir, 'EncryptedKeyMaterial.bin'))).toBe(false);
    expect(existsSync(join(dir, 'byok-offline-audit.jsonl'))).toBe(false);
  });

  it('a missing --wrapping-algorithm', async () => {
    const result = await runCli(RAW, rawDir(2048));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: --public-key needs --wrapping-algorithm/);
    expect(result.stderr).not.toMatch(/Implications failed|Missing dependent|->/);
    const sub = await runCli(['wrap', 'raw', ...RAW.slice(1)], rawDir(2048));
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/error: missing --wrapping-algorithm/);
  });
});
