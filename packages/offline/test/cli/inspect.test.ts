import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleDigest, checkCodeOf } from '@byok-ceremony/shared';
import { NOW, importRequest } from '../helpers/request-fixture.js';
import { runCli, tempDir } from '../helpers/run-cli.js';

/** The code in any spelling (any case, with or without dashes), and the digest it is made from. */
function expectNoCode(text: string, bundle: Parameters<typeof bundleDigest>[0]): void {
  const digest = bundleDigest(bundle);
  const code = checkCodeOf(digest).replace(/-/g, '').toLowerCase();
  const flat = text.replace(/[-\s]/g, '').toLowerCase();
  expect(flat).not.toContain(code);
  expect(text.toLowerCase()).not.toContain(digest);
}

describe('inspect', () => {
  it('shows time left by the clock it is given, and never the check code', async () => {
    const dir = tempDir();
    const request = importRequest([
      { keySpec: 'HMAC_256', validTo: new Date(NOW.getTime() + 90 * 60 * 1000) },
    ]);
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const result = await runCli(['inspect', '--request', 'request.json'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('(1h 30m left)');
    expect(result.stdout).toContain('Check code: read it off the online screen');
    expectNoCode(result.stdout + result.stderr, request);
    const late = await runCli(['inspect', '--request', 'request.json', '--json'], dir, {
      now: new Date(NOW.getTime() + 2 * 3600 * 1000),
    });
    expect(
      (JSON.parse(late.stdout) as { targets: { secondsLeft: number }[] }).targets[0]!.secondsLeft,
    ).toBe(-1800);
    expectNoCode(late.stdout + late.stderr, request);
  });

  it('takes exactly one of --request and --wrapped', async () => {
    const result = await runCli(['inspect'], tempDir());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^byok-offline: error: inspect takes exactly one of --request and --wrapped$/m,
    );
  });

  it('lists every bad path of an invalid request', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'request.json'),
      JSON.stringify({
        ...importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }]),
        version: 3,
        extra: 1,
      }),
    );
    const result = await runCli(['inspect', '--request', 'request.json'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('$.version: must be one of 1, 2');
    expect(result.stderr).toContain('$.extra: unknown field');
  });
});
