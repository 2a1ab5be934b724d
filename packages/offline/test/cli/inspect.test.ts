import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleDigest, checkCodeOf } from '@byok-ceremony/shared';
import { NOW, importRequest, importRequestV3 } from '../helpers/request-fixture.js';
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

  it('reads a version 3 request (token hashes, no tokens) and shows its ceremony name and plan digest', async () => {
    const dir = tempDir();
    const plain = importRequestV3([{ keySpec: 'SYMMETRIC_DEFAULT' }]);
    writeFileSync(join(dir, 'plain.json'), JSON.stringify(plain));
    const flags = await runCli(['inspect', '--request', 'plain.json', '--json'], dir);
    expect(flags.code, flags.stderr).toBe(0);
    expect(JSON.parse(flags.stdout)).toMatchObject({ ceremonyName: null, planDigest: null });
    const planned = importRequestV3([{ keySpec: 'HMAC_256' }], {
      ceremonyName: 'Payments 2026 EU',
      planDigest: 'cd'.repeat(32),
    });
    writeFileSync(join(dir, 'planned.json'), JSON.stringify(planned));
    const text = await runCli(['inspect', '--request', 'planned.json'], dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('  ceremony name Payments 2026 EU');
    expect(text.stdout).toContain(`  from the plan with SHA-256 ${'cd'.repeat(32)}`);
    expectNoCode(text.stdout + text.stderr, planned);
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
        version: 4,
        extra: 1,
      }),
    );
    const result = await runCli(['inspect', '--request', 'request.json'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('$.version: must be one of 1, 2, 3');
    expect(result.stderr).toContain('$.extra: unknown field');
  });
});
