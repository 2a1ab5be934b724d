import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startKmsSim } from '../src/index.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');

function run(args: string[]) {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let ended = false;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      ended = true;
      resolve(code);
    }),
  );
  return { child, exited, out: () => stdout, err: () => stderr, ended: () => ended };
}

/**
 * Waits until `check` holds, for as long as the child runs: no time limit, which a loaded
 * machine could outlast (a start took 1.3-2.3 s at a load average of 8); a child that exits
 * first fails the wait with what it printed.
 */
async function waitFor(
  sim: ReturnType<typeof run>,
  check: () => boolean,
  what: string,
): Promise<void> {
  for (;;) {
    if (check()) return;
    if (sim.ended())
      throw new Error(`byok-kms-sim exited before ${what}:\n${sim.out()}\n${sim.err()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the byok-kms-sim CLI as a child process', () => {
  it('is built', () => {
    expect(existsSync(MAIN)).toBe(true);
  });

  it('prints its URL with --port 0, logs requests with --verbose and exits 0 on SIGTERM', async () => {
    const sim = run(['--port', '0', '--verbose', '--no-wrapping-key-pool']);
    await waitFor(sim, () => /http:\/\/127\.0\.0\.1:\d+/.test(sim.out()), 'the URL line');
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(sim.out())![0];
    await waitFor(sim, () => /admin token: [A-Za-z0-9_-]+/.test(sim.out()), 'the admin token line');
    const token = /admin token: ([A-Za-z0-9_-]+)/.exec(sim.out())![1]!;
    expect((await fetch(`${url}/_sim/clock`)).status).toBe(401);
    const clock = await fetch(`${url}/_sim/clock`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(clock.status).toBe(200);
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'x-amz-target': 'TrentService.ListKeys' },
      body: '{}',
    });
    expect(unsigned.status).toBe(400);
    await waitFor(
      sim,
      () => sim.out().includes('MissingAuthenticationTokenException'),
      'the request log line',
    );
    sim.child.kill('SIGTERM');
    expect(await sim.exited).toBe(0);
    expect(sim.err()).toBe('');
  });

  it('exits 0 on SIGINT', async () => {
    const sim = run(['--port', '0', '--no-wrapping-key-pool']);
    await waitFor(sim, () => sim.out().includes('http://'), 'the URL line');
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

  it('says so when the port is in use', async () => {
    const holder = await startKmsSim({ wrappingKeyPool: false });
    try {
      const port = new URL(holder.url).port;
      const taken = run(['--port', port, '--no-wrapping-key-pool']);
      expect(await taken.exited).toBe(2);
      expect(taken.err()).toBe(
        `byok-kms-sim: error: port ${port} on 127.0.0.1 is in use by another process\n` +
          'byok-kms-sim: hint: stop the other process, or pick another port with --port, or --port 0 for a free one\n',
      );
    } finally {
      await holder.close();
    }
  });

  it('warns, naming what is exposed, when bound to a non-loopback address', async () => {
    const sim = run(['--host', '0.0.0.0', '--port', '0', '--no-wrapping-key-pool']);
    await waitFor(sim, () => sim.out().includes('admin token'), 'the token line');
    expect(sim.err()).toMatch(
      /^byok-kms-sim: warning: --host 0\.0\.0\.0 is not a loopback address: anyone who can reach it can call every KMS operation with the public rehearsal credentials .*admin token alone\n$/,
    );
    sim.child.kill('SIGTERM');
    expect(await sim.exited).toBe(0);
  });

  it('refuses a state file changed outside byok-kms-sim in the house style', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kms-sim-cli-'));
    try {
      const stateFile = join(dir, 'state.json');
      await (await startKmsSim({ stateFile, wrappingKeyPool: false })).close();
      const bytes = readFileSync(stateFile);
      bytes[10] = bytes[10] === 0x61 ? 0x62 : 0x61;
      writeFileSync(stateFile, bytes);
      const refused = run(['--port', '0', '--state-file', stateFile, '--no-wrapping-key-pool']);
      expect(await refused.exited).toBe(2);
      expect(refused.err()).toMatch(
        /^byok-kms-sim: error: .*state\.json: line 1 does not authenticate under the root key: .*\nbyok-kms-sim: hint: restore .*\n$/,
      );
      expect(refused.err()).not.toContain('    at ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
