import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCodeOf, bundleDigest, type AuditEntry } from '@byok-ceremony/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveKmsEndpoint } from '../src/kms/create-kms-client.js';
import {
  importArgv,
  ONLINE_OPERATORS as OPS,
  prepareArgv,
} from '../../../test/ceremony/driver.mjs';
import { runOnline } from './helpers/run-online.js';
import { simForThisFile } from './helpers/sim-env.js';
import { wrapForTest } from './helpers/wrap-for-test.js';

const s = simForThisFile();
let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'byok-online-endpoint-'));
});

async function entries(): Promise<AuditEntry[]> {
  const text = await readFile(join(cwd, 'byok-online-audit.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditEntry);
}

const note = (source: string): string =>
  `byok-online: note: using KMS endpoint ${s.sim.url} (from ${source})\n`;
const count = (text: string, part: string): number => text.split(part).length - 1;

describe('the KMS endpoint', () => {
  it('refuses plain http to another machine, from the flag or the environment, before anything', async () => {
    for (const [flags, env, source] of [
      [['--endpoint-url', 'http://kms.example.com:4599'], {}, '--endpoint-url'],
      [[], { AWS_ENDPOINT_URL_KMS: 'http://10.0.0.5' }, 'AWS_ENDPOINT_URL_KMS'],
      [[], { AWS_ENDPOINT_URL: 'http://128.0.0.1' }, 'AWS_ENDPOINT_URL'],
    ] as const) {
      const r = await runOnline(['create-key', '--region', 'eu-west-2', ...flags], {
        cwd,
        env: { ...s.env, ...env },
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `byok-online: error: the KMS endpoint \\S+ \\(from ${source}\\) is plain http to another machine`,
        ),
      );
      expect(r.stderr).toContain('byok-online: hint: Use https:// for a remote endpoint');
      expect(existsSync(join(cwd, 'byok-online-audit.jsonl'))).toBe(false);
    }
  });

  it('takes https anywhere and plain http on this machine only', () => {
    expect(resolveKmsEndpoint('https://kms.example.com', {})).toEqual({
      url: 'https://kms.example.com',
      source: '--endpoint-url',
    });
    for (const url of [
      'http://127.0.0.1:1',
      'http://127.9.8.7',
      'http://[::1]:80',
      'http://localhost:4599',
    ])
      expect(resolveKmsEndpoint(undefined, { AWS_ENDPOINT_URL: url })).toEqual({
        url,
        source: 'AWS_ENDPOINT_URL',
      });
    for (const url of ['http://127.0.0.1.example.com', 'http://[::2]', 'http://localhost.example'])
      expect(() => resolveKmsEndpoint(url, {})).toThrow(/plain http to another machine/);
  });

  it('notes a non-default endpoint once per command and records endpoint, Region and account', async () => {
    const env = { ...s.env, AWS_ENDPOINT_URL_KMS: s.sim.url };
    const created = await runOnline(['create-key', '--region', s.sim.region, ...OPS, '--json'], {
      cwd,
      env,
    });
    expect(created.code, created.stderr).toBe(0);
    expect(count(created.stderr, 'note: using KMS endpoint')).toBe(1);
    expect(created.stderr).toContain(note('AWS_ENDPOINT_URL_KMS'));
    const arn = (JSON.parse(created.stdout) as { arn: string }).arn;

    const prepared = await runOnline(
      [
        ...s.flags,
        ...prepareArgv('request.json', ['--key-id', arn, '--wrapping-key-spec', 'RSA_2048']),
      ],
      { cwd, env },
    );
    expect(prepared.code, prepared.stderr).toBe(0);
    expect(count(prepared.stderr, 'note: using KMS endpoint')).toBe(1);
    expect(prepared.stderr).toContain(note('--endpoint-url'));

    const request = JSON.parse(await readFile(join(cwd, 'request.json'), 'utf8')) as Parameters<
      typeof wrapForTest
    >[0];
    const wrapped = wrapForTest(request);
    await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrapped));
    const code = checkCodeOf(bundleDigest(wrapped));
    const imported = await runOnline(
      ['--region', s.sim.region, ...importArgv('request.json', 'wrapped.json', code)],
      { cwd, env: { ...s.env, AWS_ENDPOINT_URL: s.sim.url } },
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(count(imported.stderr, 'note: using KMS endpoint')).toBe(1);
    expect(imported.stderr).toContain(note('AWS_ENDPOINT_URL'));

    const status = await runOnline(['status', '--region', s.sim.region, '--key-id', arn], {
      cwd,
      env,
    });
    expect(status.code, status.stderr).toBe(0);
    expect(count(status.stderr, 'note: using KMS endpoint')).toBe(1);

    const kms = { endpoint: s.sim.url, region: s.sim.region, accounts: [s.sim.account] };
    expect((await entries()).map((e) => [e.command, e.kms])).toEqual([
      ['create-key', kms],
      ['prepare', kms],
      ['import', kms],
    ]);
  });

  it('records a failed call too, with no account when no key is known', async () => {
    const r = await runOnline(
      [...s.flags, ...prepareArgv('request.json', ['--key-id', 'alias/none'])],
      { cwd, env: s.env },
    );
    expect(r.code).toBe(1);
    const [entry] = await entries();
    expect(entry).toMatchObject({
      command: 'prepare',
      outcome: 'error',
      kms: { endpoint: s.sim.url, region: s.sim.region, accounts: [] },
    });
  });
});
