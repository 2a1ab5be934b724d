import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertImportRequestBundle } from '../src/bundle/assert-import-request.js';
import { assertWrappedKeyBundle } from '../src/bundle/assert-wrapped-keys.js';
import { bundleDigest } from '../src/bundle/digest.js';
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
  it.each(['import-request.v1.json', 'wrapped-keys.v1.json'])(
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
    for (const name of ['import-request.v1.json', 'wrapped-keys.v1.json']) {
      const digest = execFileSync('python3', ['-c', script, join(dir, name)], {
        encoding: 'utf8',
      }).trim();
      expect(digest).toBe(vectors[name]!.digest);
    }
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
