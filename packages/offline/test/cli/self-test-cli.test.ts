import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleDigest, checkCodeOf } from '@byok-ceremony/shared';
import { importRequest } from '../helpers/request-fixture.js';
import { tempDir } from '../helpers/run-cli.js';
import { runProcess } from '../helpers/run-process.js';
import { soloWrapArgv } from '../../../../test/ceremony/driver.mjs';

/** A preload that makes node:crypto's HMAC ignore its key, as a broken OpenSSL build might. */
function brokenHmacHook(dir: string): string {
  const hook = join(dir, 'broken-hmac.mjs');
  writeFileSync(
    hook,
    [
      "import crypto from 'node:crypto';",
      "import { syncBuiltinESMExports } from 'node:module';",
      'const createHmac = crypto.createHmac;',
      "crypto.createHmac = (hash, _key, options) => createHmac(hash, 'not the key', options);",
      'syncBuiltinESMExports();',
    ].join('\n'),
  );
  return hook;
}

describe('byok-offline self-test through the built CLI', () => {
  it('lists every family and passes', () => {
    const dir = tempDir();
    const text = runProcess(['self-test'], dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ok {4}RSA-OAEP decryption and wrapping \(\d+ checks\)$/m);
    expect(text.stdout).toMatch(/^Self-test passed: 8 families, \d+ checks\.$/m);
    const json = runProcess(['self-test', '--json'], dir);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { passed: boolean; results: { family: string }[] };
    expect(report.passed).toBe(true);
    expect(report.results.map((r) => r.family)).toContain('HMAC-SHA-2 (RFC 4231)');
  });

  it('fails, and wrap refuses before reading anything, when HMAC gives wrong answers', () => {
    const dir = tempDir();
    const hook = brokenHmacHook(dir);
    const st = runProcess(['self-test'], dir, ['--import', hook]);
    expect(st.code).toBe(1);
    expect(st.stdout).toMatch(/^FAIL {2}HMAC-SHA-2/m);
    expect(st.stderr).toMatch(/^byok-offline: error: self-test failed: HMAC-SHA-2/m);
    expect(st.stderr).not.toMatch(/\n\s+at /);

    const request = importRequest([
      { keySpec: 'SYMMETRIC_DEFAULT', validTo: new Date(Date.now() + 24 * 3600 * 1000) },
    ]);
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const written = (): string[] =>
      readdirSync(dir)
        .filter((f) => !f.startsWith('.stdout-'))
        .sort();
    const before = written();
    const wrap = runProcess(soloWrapArgv('request.json', checkCodeOf(bundleDigest(request))), dir, [
      '--import',
      hook,
    ]);
    expect(wrap.code).toBe(1);
    expect(wrap.stderr).toMatch(/^byok-offline: error: self-test failed: HMAC-SHA-2/m);
    expect(existsSync(join(dir, 'wrapped.json'))).toBe(false);
    expect(existsSync(join(dir, 'byok-offline-audit.jsonl'))).toBe(false);
    // Nothing is new but runProcess's own stdout/stderr capture files.
    expect(written()).toEqual(before);
  });
});
