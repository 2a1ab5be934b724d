import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRewritingProxy, type AnswerRewrite } from './helpers/rewriting-proxy.js';
import { ONLINE_BIN, runChild, runOnline, type CliResult } from './helpers/run-online.js';
import { simForThisFile } from './helpers/sim-env.js';

// byok-online (child process, real SDK) against byok-kms-sim behind a proxy that rewrites answers.

const s = simForThisFile();

/** A fresh key, then prepare --raw-dir through the proxy, in cwd/work; returns the run and cwd. */
async function prepareThrough(rewrite: AnswerRewrite): Promise<{ result: CliResult; cwd: string }> {
  const cwd = await mkdtemp(join(tmpdir(), 'byok-online-hostile-'));
  const created = await runOnline([...s.flags, 'create-key', '--json'], { cwd });
  expect(created.code, created.stderr + created.stdout).toBe(0);
  const { keyId } = JSON.parse(created.stdout) as { keyId: string };
  const work = join(cwd, 'a', 'b');
  await mkdir(work, { recursive: true });
  const proxy = await startRewritingProxy(s.sim.url, rewrite);
  try {
    const result = await runChild(
      ONLINE_BIN,
      ['--endpoint-url', proxy.url, '--region', s.sim.region, 'prepare', '--key-id', keyId].concat([
        '--out',
        'request.json',
        '--raw-dir',
        'raw',
        '--audit-log',
        join(cwd, 'online.jsonl'),
      ]),
      { cwd: work, env: s.env },
    );
    return { result, cwd };
  } finally {
    await proxy.close();
  }
}

function expectOneClearError(result: CliResult, message: RegExp): void {
  expect(result.code).toBe(1);
  const errors = result.stderr.split('\n').filter((l) => l.startsWith('byok-online: error: '));
  expect(errors, result.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  expect(result.stderr).toMatch(/^byok-online: hint: \S/m);
  expect(result.stderr).not.toMatch(/^\s+at |RangeError|TypeError|unexpected failure/m);
}

/** Nothing but the audit log anywhere under cwd, and nothing written in the command's folder. */
async function expectNothingWritten(cwd: string): Promise<void> {
  expect((await readdir(cwd)).sort()).toEqual(['a', 'byok-online-audit.jsonl', 'online.jsonl']);
  expect(await readdir(join(cwd, 'a'))).toEqual(['b']);
  expect(await readdir(join(cwd, 'a', 'b'))).toEqual([]);
}

describe('byok-online prepare against an endpoint that lies', () => {
  it('a DescribeKey KeyId of ../../x: refused, no folder, no file', async () => {
    const { result, cwd } = await prepareThrough((operation, body) => {
      if (operation === 'DescribeKey')
        (body['KeyMetadata'] as Record<string, unknown>)['KeyId'] = '../../x';
    });
    expectOneClearError(
      result,
      /KMS DescribeKey answered an invalid KeyMetadata\.KeyId: "\.\.\/\.\.\/x" is not a KMS key id/,
    );
    expect(result.stderr).toContain('check --endpoint-url');
    await expectNothingWritten(cwd);
  });

  it('a GetParametersForImport KeyId of ../../x: refused, no folder, no file', async () => {
    const { result, cwd } = await prepareThrough((operation, body) => {
      if (operation === 'GetParametersForImport') body['KeyId'] = '../../x';
    });
    expectOneClearError(
      result,
      /KMS GetParametersForImport answered an invalid KeyId: "\.\.\/\.\.\/x" is not a KMS key ARN/,
    );
    await expectNothingWritten(cwd);
  });

  it('a ParametersValidTo far beyond year 9999: refused as a date, not "Invalid time value"', async () => {
    const { result, cwd } = await prepareThrough((operation, body) => {
      if (operation === 'GetParametersForImport') body['ParametersValidTo'] = 1e300;
    });
    expectOneClearError(
      result,
      /KMS GetParametersForImport answered an invalid ParametersValidTo: not a date between 1970 and 9999/,
    );
    await expectNothingWritten(cwd);
  });

  it('an import token larger than the KMS model allows: refused', async () => {
    const { result, cwd } = await prepareThrough((operation, body) => {
      if (operation === 'GetParametersForImport')
        body['ImportToken'] = Buffer.alloc(6145, 1).toString('base64');
    });
    expectOneClearError(result, /answered an invalid ImportToken: 6145 bytes, not 1–6144/);
    await expectNothingWritten(cwd);
  });

  it('the same proxy passing answers unchanged lets prepare write its files', async () => {
    const { result, cwd } = await prepareThrough(() => undefined);
    expect(result.code, result.stderr).toBe(0);
    expect((await readdir(join(cwd, 'a', 'b'))).sort()).toEqual([
      'raw',
      'request.json',
      'request.json.tokens.json',
    ]);
  });
});
