import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');

function run(args: string[]) {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the byok-kms-sim CLI as a child process', () => {
  it('is built', () => {
    expect(existsSync(MAIN)).toBe(true);
  });

  it('prints its URL with --port 0, logs requests with --verbose and exits 0 on SIGTERM', async () => {
    const sim = run(['--port', '0', '--verbose', '--no-wrapping-key-pool']);
    await waitFor(() => /http:\/\/127\.0\.0\.1:\d+/.test(sim.out()), 'the URL line');
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(sim.out())![0];
    const clock = await fetch(`${url}/_sim/clock`);
    expect(clock.status).toBe(200);
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'x-amz-target': 'TrentService.ListKeys' },
      body: '{}',
    });
    expect(unsigned.status).toBe(400);
    await waitFor(
      () => sim.out().includes('MissingAuthenticationTokenException'),
      'the request log line',
    );
    sim.child.kill('SIGTERM');
    expect(await sim.exited).toBe(0);
    expect(sim.err()).toBe('');
  });

  it('exits 0 on SIGINT', async () => {
    const sim = run(['--port', '0', '--no-wrapping-key-pool']);
    await waitFor(() => sim.out().includes('http://'), 'the URL line');
    sim.child.kill('SIGINT');
    expect(await sim.exited).toBe(0);
  });

  it('refuses bad options in the house style', async () => {
    const faults = run(['--port', '0', '--faults', 'explode=1']);
    expect(await faults.exited).not.toBe(0);
    expect(faults.err()).toMatch(
      /^byok-kms-sim: error: unknown fault 'explode'.*\nbyok-kms-sim: hint: /,
    );
    expect(faults.err()).not.toContain('    at ');
    const credentials = run(['--port', '0', '--credentials', 'no-colon']);
    expect(await credentials.exited).not.toBe(0);
    expect(credentials.err()).toContain('byok-kms-sim: error: --credentials');
    const unknown = run(['--prot', '0']);
    expect(await unknown.exited).not.toBe(0);
    expect(unknown.err()).toContain('byok-kms-sim: error:');
  });
});
