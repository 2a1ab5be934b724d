import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  bundleDigest,
  checkCodeOf,
  type ImportRequestBundle,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import { describe, expect, it } from 'vitest';
import { importArgv, keyIdFlags, prepareArgv } from '../../../test/ceremony/driver.mjs';
import { ONLINE_BIN, runChild, runOnline } from './helpers/run-online.js';
import { simForThisFile } from './helpers/sim-env.js';
import { wrapForTest } from './helpers/wrap-for-test.js';

const s = simForThisFile();
const KEYS = 3;

/** KEYS new EXTERNAL keys prepared in a new folder, with a wrapped bundle answering the request. */
async function preparedFolder(): Promise<{
  cwd: string;
  request: ImportRequestBundle;
  wrapped: WrappedKeyBundle;
  importArgs: string[];
}> {
  const cwd = await mkdtemp(join(tmpdir(), 'byok-online-progress-'));
  const arns: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    const out = await s.kms.send(
      new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'SYMMETRIC_DEFAULT' }),
    );
    arns.push(out.KeyMetadata!.Arn!);
  }
  const prep = await runOnline(
    [
      ...s.flags,
      ...prepareArgv('request.json', [...keyIdFlags(arns), '--wrapping-key-spec', 'RSA_2048']),
      '--json',
    ],
    { cwd },
  );
  expect(prep.code, prep.stderr).toBe(0);
  const request = JSON.parse(
    await readFile(join(cwd, 'request.json'), 'utf8'),
  ) as ImportRequestBundle;
  const wrapped = wrapForTest(request);
  await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrapped));
  const code = checkCodeOf(bundleDigest(wrapped));
  const importArgs = [...s.flags, ...importArgv('request.json', 'wrapped.json', code)];
  return { cwd, request, wrapped, importArgs };
}

const shellQuote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

describe('import progress through the real CLI', () => {
  it('--json-lines: one JSON line per key with every documented field, nothing else on stdout', async () => {
    const { cwd, request, wrapped, importArgs } = await preparedFolder();
    const r = await runChild(ONLINE_BIN, [...importArgs, '--json-lines'], { cwd, env: s.env });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(KEYS);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const key of parsed) {
      expect(Object.keys(key).sort()).toEqual(
        [
          'alreadyHeld',
          'current',
          'index',
          'kcv',
          'keyArn',
          'keyMaterialId',
          'keyState',
          'proof',
          'proven',
        ].sort(),
      );
      const index = key['index'] as number;
      const target = request.targets[index]!;
      const material = wrapped.materials.find((m) => m.materialGroup === target.materialGroup)!;
      expect(key).toEqual({
        index,
        keyArn: target.keyArn,
        keyState: 'Enabled',
        keyMaterialId: expect.stringMatching(/^[0-9a-f]{64}$/),
        kcv: material.kcv,
        proof: 'kcv-only',
        proven: false,
        alreadyHeld: false,
        current: true,
      });
      const described = await s.kms.send(new DescribeKeyCommand({ KeyId: target.keyArn }));
      expect(described.KeyMetadata?.KeyState).toBe('Enabled');
    }
    // Every key once, whatever order they settled in.
    expect(parsed.map((k) => k['index']).sort()).toEqual([0, 1, 2]);
    // stderr is a pipe here: no progress bar.
    expect(r.stderr).not.toContain('key(s)');
    expect(r.stderr).not.toContain('\r');
  });

  it('without --json-lines and stderr not a terminal: no progress bar, the summary on stdout', async () => {
    const { cwd, importArgs } = await preparedFolder();
    const r = await runChild(ONLINE_BIN, importArgs, { cwd, env: s.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Imported ${KEYS} key(s)`);
    expect(r.stderr).not.toMatch(/\[[#.]+\]/);
    expect(r.stderr).not.toContain('\r');
  });

  it.runIf(spawnSync('script', ['-qec', 'true', '/dev/null']).status === 0)(
    'on a terminal stderr: the bar is drawn per key and ends with a line break',
    async () => {
      const { cwd, importArgs } = await preparedFolder();
      // stderr on a pseudo-terminal (script), stdout to a file: the terminal shows only stderr.
      const command = `${[process.execPath, ONLINE_BIN, ...importArgs].map(shellQuote).join(' ')} > stdout.txt`;
      // Not spawnSync: the simulator answering the import runs in this process.
      const r = await new Promise<{ status: number | null; stdout: string }>((done, fail) => {
        const child = spawn('script', ['-qec', command, '/dev/null'], {
          cwd,
          env: s.env,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('error', fail);
        child.on('close', (status) => done({ status, stdout }));
      });
      expect(r.status, r.stdout).toBe(0);
      const terminal = r.stdout;
      for (let settled = 1; settled <= KEYS; settled++) {
        const filled = Math.round((settled / KEYS) * 30);
        expect(terminal).toContain(
          `\rbyok-online: [${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${settled}/${KEYS} key(s)`,
        );
      }
      expect(terminal).toMatch(new RegExp(`\\] ${KEYS}/${KEYS} key\\(s\\)\\r?\\n`));
      expect(await readFile(join(cwd, 'stdout.txt'), 'utf8')).toContain(`Imported ${KEYS} key(s)`);
    },
  );
});
