import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOperatorKeyFile, parseOperatorPublicKey } from '@byok-ceremony/shared';
import { unlockOperatorKey } from '@byok-ceremony/node-io';
import { runCli, tempDir } from './helpers/run-cli.js';

const PASSPHRASE = 'correct horse battery staple';

function keygen(dir: string, extra: string[] = []) {
  writeFileSync(join(dir, 'pass'), `${PASSPHRASE}\n`);
  return runCli(
    ['operator', 'keygen', '--name', 'ALICE', '--passphrase-file', 'pass', ...extra],
    dir,
  );
}

describe('byok-offline operator keygen', () => {
  it('writes an encrypted key (0600) and a public key, and logs the fingerprint', async () => {
    const dir = tempDir();
    const result = await keygen(dir);
    expect(result.stderr).toContain("wrote ALICE's operator key");
    expect(result.code).toBe(0);
    const keyPath = join(dir, 'operator-alice.key.json');
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const text = readFileSync(keyPath, 'utf8');
    expect(text).not.toContain(PASSPHRASE);
    const file = parseOperatorKeyFile(JSON.parse(text), keyPath);
    expect(file.privateKey).toMatchObject({
      kdf: 'scrypt',
      N: 32768,
      r: 8,
      p: 1,
      cipher: 'aes-256-gcm',
    });
    const pub = parseOperatorPublicKey(
      JSON.parse(readFileSync(join(dir, 'operator-alice.pub.json'), 'utf8')),
      'pub',
    );
    expect(pub).toMatchObject({ name: 'ALICE', publicKey: file.publicKey });
    expect(result.stdout).toMatch(/^SHA256:[0-9a-f ]+\n$/);
    const log = readFileSync(join(dir, 'byok-offline-audit.jsonl'), 'utf8');
    expect(log).toContain('"command":"operator-keygen"');
    expect(log).not.toContain(file.privateKey.ciphertext);
  });

  it('opens only with the passphrase, and OpenSSL verifies what it signs', async () => {
    const dir = tempDir();
    expect((await keygen(dir)).code).toBe(0);
    const keyPath = join(dir, 'operator-alice.key.json');
    const file = parseOperatorKeyFile(JSON.parse(readFileSync(keyPath, 'utf8')), keyPath);
    expect(() => unlockOperatorKey(file, Buffer.from('wrong passphrase here'), keyPath)).toThrow(
      /passphrase does not open ALICE's operator key/,
    );
    const signer = unlockOperatorKey(file, Buffer.from(PASSPHRASE), keyPath);
    const message = Buffer.from('byok-ceremony test payload\n');
    writeFileSync(join(dir, 'msg'), message);
    writeFileSync(join(dir, 'sig'), Buffer.from(signer.sign(message), 'base64'));
    const der = Buffer.from(file.publicKey, 'base64');
    writeFileSync(join(dir, 'pub.der'), der);
    const out = execFileSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'pub.der',
        '-keyform',
        'DER',
        '-rawin',
        '-in',
        'msg',
        '-sigfile',
        'sig',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(out).toContain('Signature Verified Successfully');
  });

  it('refuses a key file whose public key was swapped', async () => {
    const dir = tempDir();
    await keygen(dir);
    const other = tempDir();
    await keygen(other);
    const mine = JSON.parse(readFileSync(join(dir, 'operator-alice.key.json'), 'utf8'));
    const theirs = JSON.parse(readFileSync(join(other, 'operator-alice.key.json'), 'utf8'));
    const swapped = parseOperatorKeyFile({ ...mine, publicKey: theirs.publicKey }, 'swapped');
    expect(() => unlockOperatorKey(swapped, Buffer.from(PASSPHRASE), 'swapped')).toThrow(
      /passphrase does not open/,
    );
  });

  it('asks twice on a terminal, without the passphrase in argv', async () => {
    const dir = tempDir();
    const result = await runCli(['operator', 'keygen', '--name', 'BOB'], dir, {
      stdinLines: [PASSPHRASE, PASSPHRASE],
    });
    expect(result.stderr).toContain('BOB, choose a passphrase for your operator key: ');
    expect(result.stderr).not.toContain(PASSPHRASE);
    expect(result.code).toBe(0);
    // A slip costs a retype: two that differ (or one too short) are asked again, 3 tries in all.
    const slipped = tempDir();
    const retyped = await runCli(['operator', 'keygen', '--name', 'BOB'], slipped, {
      stdinLines: [PASSPHRASE, `${PASSPHRASE}!`, 'short', PASSPHRASE, PASSPHRASE],
    });
    expect(retyped.code, retyped.stderr).toBe(0);
    expect(retyped.stderr).toContain(
      'The two passphrases differ; type the new passphrase again, twice (try 2 of 3)',
    );
    expect(retyped.stderr).toContain('choose another (try 3 of 3)');
    expect(retyped.stderr).not.toContain(PASSPHRASE);
    expect(existsSync(join(slipped, 'operator-bob.key.json'))).toBe(true);
    const mismatch = tempDir();
    const bad = await runCli(['operator', 'keygen', '--name', 'BOB'], mismatch, {
      stdinLines: [
        PASSPHRASE,
        `${PASSPHRASE}!`,
        PASSPHRASE,
        `${PASSPHRASE}?`,
        `${PASSPHRASE}.`,
        PASSPHRASE,
      ],
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'byok-offline: error: no new passphrase after 3 tries: The two passphrases differ',
    );
    expect(existsSync(join(mismatch, 'operator-bob.key.json'))).toBe(false);
  });

  it('refuses without a passphrase source, a short passphrase, a bad name and an existing output', async () => {
    const dir = tempDir();
    const none = await runCli(['operator', 'keygen', '--name', 'ALICE'], dir);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('hint: Run on a terminal to type it, or give --passphrase-file');
    writeFileSync(join(dir, 'short'), 'too short\n');
    const short = await runCli(
      ['operator', 'keygen', '--name', 'ALICE', '--passphrase-file', 'short'],
      dir,
    );
    expect(short.stderr).toContain('shorter than 12 characters');
    const name = await runCli(
      ['operator', 'keygen', '--name', '-x', '--passphrase-file', 'short'],
      dir,
    );
    expect(name.code).not.toBe(0);
    expect(existsSync(join(dir, 'operator-alice.key.json'))).toBe(false);
    expect(existsSync(join(dir, 'operator-alice.pub.json'))).toBe(false);
    // Refusals after the flags are parsed are on record as failures, and nothing else is.
    const refused = readFileSync(join(dir, 'byok-offline-audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { outcome: string; error: { code: string } });
    expect(refused.map((e) => [e.outcome, e.error.code])).toEqual([
      ['error', 'ERR_OPERATOR_KEY'],
      ['error', 'ERR_OPERATOR_KEY'],
    ]);
    expect((await keygen(dir)).code).toBe(0);
    const before = readFileSync(join(dir, 'operator-alice.key.json'));
    const again = await keygen(dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(join(dir, 'operator-alice.key.json'))).toEqual(before);
  });
});
