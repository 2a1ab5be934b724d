import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleDigest, checkCodeOf, type WrappedKeyBundle } from '@byok-ceremony/shared';
import { importRequest, wrappingKeyPair } from '../helpers/request-fixture.js';
import { tempDir } from '../helpers/run-cli.js';
import { runProcess, type ProcessResult } from '../helpers/run-process.js';
import { unwrapBlob } from '../helpers/unwrap.js';
import { soloWrapArgv, wrapArgv } from '../../../../test/ceremony/driver.mjs';

/**
 * Every way a secret could be written out: raw, hex either case, base64 and base64url with and
 * without padding, each at the three byte alignments it can take inside a longer base64 text.
 */
function encodingsOf(secret: Buffer): Map<string, Buffer> {
  const forms = new Map<string, Buffer>([
    ['raw', secret],
    ['hex', Buffer.from(secret.toString('hex'))],
    ['HEX', Buffer.from(secret.toString('hex').toUpperCase())],
  ]);
  for (const shift of [0, 1, 2]) {
    const shifted = Buffer.concat([Buffer.alloc(shift), secret]);
    // Characters that depend only on the secret: skip those mixed with the prefix, and the last
    // partial group (kept only when unshifted, where padding is what a whole encoding ends in).
    const skip = Math.ceil((shift * 4) / 3);
    for (const kind of ['base64', 'base64url'] as const) {
      const text = shifted.toString(kind);
      const stable = text.slice(skip, skip + Math.floor((secret.length * 4) / 3) - 1);
      forms.set(`${kind}@${shift}`, Buffer.from(stable));
    }
  }
  forms.set('base64 padded', Buffer.from(secret.toString('base64')));
  forms.set('base64url unpadded', Buffer.from(secret.toString('base64url')));
  return forms;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Where any encoding of any secret occurs in the given outputs: `output: secret as encoding`. */
function leaks(
  outputs: ReadonlyMap<string, Buffer>,
  secrets: ReadonlyMap<string, Buffer>,
): string[] {
  const found: string[] = [];
  for (const [secretName, secret] of secrets)
    for (const [form, bytes] of encodingsOf(secret))
      for (const [outputName, output] of outputs)
        if (output.includes(bytes)) found.push(`${outputName}: ${secretName} as ${form}`);
  return found;
}

function everythingWritten(dir: string, runs: readonly ProcessResult[]): Map<string, Buffer> {
  const outputs = new Map<string, Buffer>();
  for (const file of filesUnder(dir)) outputs.set(relative(dir, file), readFileSync(file));
  runs.forEach((r, i) => {
    outputs.set(`run ${i} stdout`, Buffer.from(r.stdout));
    outputs.set(`run ${i} stderr`, Buffer.from(r.stderr));
  });
  return outputs;
}

describe('no secret leaves byok-offline except where it must', () => {
  it('the scanner finds a secret in each encoding (the check can fail)', () => {
    const secret = randomBytes(32);
    for (const [form, bytes] of encodingsOf(secret)) {
      const inside = Buffer.concat([Buffer.from('{"x":"'), bytes, Buffer.from('"}')]);
      expect(leaks(new Map([['probe', inside]]), new Map([['s', secret]])), form).not.toEqual([]);
    }
    for (const shift of [0, 1, 2]) {
      const embedded = Buffer.concat([randomBytes(shift + 5), secret, randomBytes(7)]);
      for (const kind of ['base64', 'base64url'] as const) {
        const text = Buffer.from(embedded.toString(kind));
        expect(leaks(new Map([['probe', text]]), new Map([['s', secret]])), kind).not.toEqual([]);
      }
    }
    expect(leaks(new Map([['probe', randomBytes(4096)]]), new Map([['s', secret]]))).toEqual([]);
  });

  it('wrap with --material-file, operator keys and QR output writes the material and passphrases nowhere', () => {
    const work = tempDir();
    // The secrets live apart from the work folder: everything in the work folder is output.
    const secrets = tempDir();
    const material = randomBytes(32);
    writeFileSync(join(secrets, 'material.bin'), material, { mode: 0o600 });
    const passphrases = new Map([
      ['ALICE', `alice ${randomBytes(12).toString('hex')}`],
      ['BOB', `bob ${randomBytes(12).toString('hex')}`],
    ]);
    const runs: ProcessResult[] = [];
    for (const [name, passphrase] of passphrases) {
      writeFileSync(join(secrets, `${name}.pass`), `${passphrase}\n`, { mode: 0o600 });
      const keygen = runProcess(
        ['operator', 'keygen', '--name', name, '--passphrase-file', join(secrets, `${name}.pass`)],
        work,
      );
      expect(keygen.code, keygen.stderr).toBe(0);
      runs.push(keygen);
      const keyFile = join(work, `operator-${name.toLowerCase()}.key.json`);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      // Exclusive: a second keygen to the same file is refused and leaves it as it was.
      const before = readFileSync(keyFile);
      const again = runProcess(
        ['operator', 'keygen', '--name', name, '--passphrase-file', join(secrets, `${name}.pass`)],
        work,
      );
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already exists/);
      expect(readFileSync(keyFile).equals(before)).toBe(true);
      runs.push(again);
    }
    const request = importRequest([
      { keySpec: 'SYMMETRIC_DEFAULT', validTo: new Date(Date.now() + 24 * 3600 * 1000) },
    ]);
    writeFileSync(join(work, 'request.json'), JSON.stringify(request));
    const code = checkCodeOf(bundleDigest(request));
    const wrap = runProcess(
      [
        ...wrapArgv(
          'request.json',
          code,
          'wrapped.json',
          ['--material-file', join(secrets, 'material.bin')],
          ['--operator', 'ALICE', '--operator', 'BOB'],
        ),
        '--operator-key',
        'operator-alice.key.json',
        '--operator-key',
        'operator-bob.key.json',
        '--passphrase-file',
        join(secrets, 'ALICE.pass'),
        '--passphrase-file',
        join(secrets, 'BOB.pass'),
        '--qr',
        'answer-qr',
        '--json',
      ],
      work,
    );
    expect(wrap.code, wrap.stderr).toBe(0);
    runs.push(wrap);
    const audit = runProcess(['audit', 'verify', 'byok-offline-audit.jsonl'], work);
    runs.push(audit);

    // The wrapped bundle does carry the material, under the target's wrapping key.
    const bundle = JSON.parse(readFileSync(join(work, 'wrapped.json'), 'utf8')) as WrappedKeyBundle;
    const blob = Buffer.from(bundle.targets[0]!.encryptedKeyMaterial, 'base64');
    const { privateKey } = wrappingKeyPair(2048, 0);
    const algorithm = request.targets[0]!.wrappingAlgorithm;
    expect(unwrapBlob(blob, privateKey, algorithm).equals(material)).toBe(true);

    const outputs = everythingWritten(work, runs);
    expect([...outputs.keys()]).toEqual(
      expect.arrayContaining(['wrapped.json', 'byok-offline-audit.jsonl', 'answer-qr/index.html']),
    );
    const secretsToFind = new Map<string, Buffer>([['material', material]]);
    for (const [name, p] of passphrases) secretsToFind.set(`${name}'s passphrase`, Buffer.from(p));
    expect(leaks(outputs, secretsToFind)).toEqual([]);
    expect(statSync(join(work, 'wrapped.json')).mode & 0o777).toBe(0o644);
  });

  it('wrap of generated private-key material writes it nowhere but in the wrapped blob', () => {
    const work = tempDir();
    mkdirSync(join(work, 'sub'));
    const request = importRequest([
      {
        keySpec: 'ECC_NIST_P256',
        wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256',
        validTo: new Date(Date.now() + 24 * 3600 * 1000),
      },
    ]);
    writeFileSync(join(work, 'request.json'), JSON.stringify(request));
    const wrap = runProcess(
      soloWrapArgv('request.json', checkCodeOf(bundleDigest(request)), 'sub/wrapped.json'),
      work,
    );
    expect(wrap.code, wrap.stderr).toBe(0);
    const bundle = JSON.parse(
      readFileSync(join(work, 'sub', 'wrapped.json'), 'utf8'),
    ) as WrappedKeyBundle;
    const algorithm = request.targets[0]!.wrappingAlgorithm;
    expect(algorithm).toMatch(/^RSA_AES_KEY_WRAP_/);
    const pkcs8 = unwrapBlob(
      Buffer.from(bundle.targets[0]!.encryptedKeyMaterial, 'base64'),
      wrappingKeyPair(2048, 0).privateKey,
      algorithm,
    );
    // The PKCS#8 DER, and the private scalar alone, in case it were written without its wrapper.
    const jwk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({
      format: 'jwk',
    });
    const scalar = Buffer.from(jwk.d!, 'base64url');
    expect(scalar.length).toBe(32);
    expect(
      leaks(
        everythingWritten(work, [wrap]),
        new Map([
          ['PKCS#8 material', pkcs8],
          ['private scalar', scalar],
        ]),
      ),
    ).toEqual([]);
  });
});
