import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertImportRequestBundle } from '../src/bundle/assert-import-request.js';
import { assertWrappedKeyBundle } from '../src/bundle/assert-wrapped-keys.js';
import { bundleDigest } from '../src/bundle/digest.js';
import { assertImportTokensFile } from '../src/bundle/import-tokens.js';
import { checkCodeOf } from '../src/check-code/check-code.js';
import { wrappingKeyFingerprint } from '../src/material/fingerprint.js';

// The published test vectors of docs/bundle-format.md.
const dir = join(import.meta.dirname, 'fixtures');
const vectors = JSON.parse(readFileSync(join(dir, 'vectors.json'), 'utf8')) as Record<
  string,
  { digest: string; checkCode: string }
> & { wrappingKeyFingerprint: string };
const load = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));

describe('bundle test vectors', () => {
  it.each(['import-request.v1.json', 'import-request.v3.json', 'wrapped-keys.v1.json'])(
    '%s has the published digest and check code',
    (name) => {
      const bundle = load(name);
      if (name.startsWith('import')) assertImportRequestBundle(bundle);
      else assertWrappedKeyBundle(bundle);
      const digest = bundleDigest(bundle);
      expect(digest).toBe(vectors[name]!.digest);
      expect(checkCodeOf(digest)).toBe(vectors[name]!.checkCode);
    },
  );

  it('digests agree with an independent implementation (Python: sorted keys, no whitespace, SHA-256)', () => {
    const script = [
      'import hashlib, json, sys',
      'b = json.load(open(sys.argv[1]))',
      "c = json.dumps(b, sort_keys=True, separators=(',', ':'), ensure_ascii=False)",
      "print(hashlib.sha256(b'byok-ceremony bundle digest v1\\n' + c.encode()).hexdigest())",
    ].join('\n');
    for (const name of [
      'import-request.v1.json',
      'import-request.v3.json',
      'wrapped-keys.v1.json',
    ]) {
      const digest = execFileSync('python3', ['-c', script, join(dir, name)], {
        encoding: 'utf8',
      }).trim();
      expect(digest).toBe(vectors[name]!.digest);
    }
  });

  it("the version 3 request carries each token's SHA-256 (OpenSSL agrees) and the tokens file names its digest", () => {
    const request = load('import-request.v3.json') as { targets: { importTokenSha256: string }[] };
    const tokens = load('import-tokens.v1.json');
    assertImportTokensFile(tokens);
    expect(tokens.requestDigest).toBe(vectors['import-request.v3.json']!.digest);
    expect(tokens.tokens).toHaveLength(request.targets.length);
    for (const [i, t] of tokens.tokens.entries()) {
      const openssl = execFileSync('openssl', ['dgst', '-sha256', '-r'], {
        input: Buffer.from(t.importToken, 'base64'),
        encoding: 'utf8',
      });
      expect(openssl.split(' ')[0]).toBe(request.targets[i]!.importTokenSha256);
    }
    // The version 1 vector's tokens, moved out of the request: the same tokens.
    const v1 = load('import-request.v1.json') as { targets: { importToken: string }[] };
    expect(tokens.tokens.map((t) => t.importToken)).toEqual(v1.targets.map((t) => t.importToken));
  });

  it('the wrapping key fingerprint is SHA-256 of the DER public key (OpenSSL agrees)', () => {
    const request = load('import-request.v1.json') as { targets: { publicKey: string }[] };
    const der = Buffer.from(request.targets[0]!.publicKey, 'base64');
    expect(wrappingKeyFingerprint(der)).toBe(vectors.wrappingKeyFingerprint);
    const openssl = execFileSync('openssl', ['dgst', '-sha256', '-r'], {
      input: der,
      encoding: 'utf8',
    });
    expect(openssl.split(' ')[0]).toBe(vectors.wrappingKeyFingerprint);
  });
});
