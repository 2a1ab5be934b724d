import { appendFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  bundleDigest,
  checkCodeOf,
  type AuditEntry,
  type ImportRequestBundle,
} from '@byok-ceremony/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  keyIdFlags,
  ONLINE_OPERATORS as OPS,
  prepareArgv,
} from '../../../test/ceremony/driver.mjs';
import { interruptedImport } from './helpers/ceremony-driver.js';
import { startCountingProxy, type CountingProxy } from './helpers/counting-proxy.js';
import { runOnline } from './helpers/run-online.js';
import { startSimEnv, type SimEnv } from './helpers/sim-env.js';
import { wrapForTest } from './helpers/wrap-for-test.js';

let s: SimEnv;
let proxy: CountingProxy;
let cwd: string;

beforeAll(async () => {
  s = await startSimEnv();
  proxy = await startCountingProxy(s.sim.url);
});
afterAll(async () => {
  await proxy.close();
  await s.close();
});
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'byok-online-log-first-'));
  proxy.operations.length = 0;
});

const flags = () => ['--endpoint-url', proxy.url, '--region', s.sim.region];
const online = (argv: string[]) => runOnline([...flags(), ...argv], { cwd });
/** This test's folder as the online machine, for the interrupted import through the proxy. */
const thisFolder = () => ({ onlineDir: cwd, ran: [], s });

async function preparedRequest(count: number): Promise<ImportRequestBundle> {
  const arns: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await online(['create-key', '--key-spec', 'SYMMETRIC_DEFAULT', '--json']);
    expect(r.code, r.stderr).toBe(0);
    arns.push((JSON.parse(r.stdout) as { arn: string }).arn);
  }
  const r = await online(
    prepareArgv('request.json', [...keyIdFlags(arns), '--wrapping-key-spec', 'RSA_2048']),
  );
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(await readFile(join(cwd, 'request.json'), 'utf8')) as ImportRequestBundle;
}

async function withWrapped(request: ImportRequestBundle): Promise<string[]> {
  const wrapped = wrapForTest(request);
  await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrapped));
  const code = checkCodeOf(bundleDigest(wrapped));
  return ['--check-code', code, '--check-code', code];
}

const IMPORT = ['import', '--request', 'request.json', '--wrapped', 'wrapped.json', ...OPS];

async function logEntries(path = join(cwd, 'byok-online-audit.jsonl')): Promise<AuditEntry[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AuditEntry);
}

async function keyState(arn: string): Promise<string | undefined> {
  return (await s.kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.KeyState;
}

describe('nothing reaches KMS before the log can take the entry', () => {
  it('create-key, prepare and import with a cut-off log: refused, and the proxy saw no request', async () => {
    const request = await preparedRequest(1);
    const codes = await withWrapped(request);
    await appendFile(join(cwd, 'byok-online-audit.jsonl'), '{"seq":9,"cut');
    const before = await readFile(join(cwd, 'byok-online-audit.jsonl'), 'utf8');
    proxy.operations.length = 0;
    for (const argv of [
      ['create-key', '--key-spec', 'SYMMETRIC_DEFAULT'],
      ['prepare', '--key-id', request.targets[0]!.keyArn, '--out', 'again.json', ...OPS],
      [...IMPORT, ...codes],
    ]) {
      const r = await online(argv);
      expect(r.code, argv[0]).toBe(1);
      expect(r.stderr).toMatch(/^byok-online: error: the audit log .* ends in a cut-off line/m);
    }
    expect(proxy.operations).toEqual([]);
    expect(existsSync(join(cwd, 'again.json'))).toBe(false);
    expect(await readFile(join(cwd, 'byok-online-audit.jsonl'), 'utf8')).toBe(before);
    expect(await keyState(request.targets[0]!.keyArn)).toBe('PendingImport');
  });

  it('an unwritable log (a folder, or in a missing folder): refused before any request', async () => {
    await mkdir(join(cwd, 'dir.jsonl'));
    for (const log of ['dir.jsonl', 'missing/audit.jsonl']) {
      const create = await online(['--audit-log', log, 'create-key']);
      expect(create.code).toBe(1);
      expect(create.stderr).toMatch(
        /^byok-online: error: (cannot use the audit log |the audit log .* is refused)/m,
      );
      const prepare = await online([
        '--audit-log',
        log,
        'prepare',
        '--key-id',
        'alias/none',
        '--out',
        'r.json',
        ...OPS,
      ]);
      expect(prepare.code).toBe(1);
      expect(prepare.stderr).toMatch(
        /error: (cannot use the audit log |the audit log .* is refused)/,
      );
    }
    expect(proxy.operations).toEqual([]);
  });
});

describe('a failed confirmation and a foreign log', () => {
  it('a wrong code is logged as a mismatch, and neither stderr nor the log carries the code', async () => {
    const request = await preparedRequest(1);
    const wrapped = wrapForTest(request);
    await writeFile(join(cwd, 'wrapped.json'), JSON.stringify(wrapped));
    const digest = bundleDigest(wrapped);
    const code = checkCodeOf(digest);
    proxy.operations.length = 0;
    const r = await online([
      ...IMPORT,
      '--check-code',
      code,
      '--check-code',
      'AAAA-AAAA-AAAA-AAAA-AAAA',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: the check code confirmed by BOB does not match/);
    const log = await readFile(join(cwd, 'byok-online-audit.jsonl'), 'utf8');
    const failed = (await logEntries()).at(-1)!;
    expect(failed).toMatchObject({ outcome: 'error', error: { code: 'ERR_CHECK_CODE_MISMATCH' } });
    for (const text of [r.stdout + r.stderr, log]) {
      expect(text.replace(/[-\s]/g, '').toLowerCase()).not.toContain(
        code.replace(/-/g, '').toLowerCase(),
      );
      expect(text.toLowerCase()).not.toContain(digest);
    }
    expect(proxy.operations).toEqual([]);
  });

  it('import in a folder whose log the request did not come from warns before acting', async () => {
    const request = await preparedRequest(1);
    const codes = await withWrapped(request);
    const r = await online(['--audit-log', 'other.jsonl', ...IMPORT, ...codes]);
    expect(r.code, r.stderr).toBe(0);
    const warning = r.stderr.indexOf(
      'warning: the import request was not prepared with this audit log',
    );
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(r.stderr.indexOf('Check code confirmed'));
    const same = await online([...IMPORT, ...codes]);
    expect(same.stderr).not.toContain('not prepared with this audit log');
  });
});

describe('SIGINT during a multi-key import (child process)', () => {
  it('logs the keys done, names them, and --resume imports exactly the rest', async () => {
    const request = await preparedRequest(4);
    const codes = await withWrapped(request);
    const arns = request.targets.map((t) => t.keyArn);
    const { code, stderr } = await interruptedImport(
      thisFolder(),
      proxy,
      [...IMPORT, ...codes, '--concurrency', '1'],
      { signal: 'SIGINT', heldImport: 2 },
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^byok-online: error: interrupted \(SIGINT or SIGTERM\) after 2 of 4 key/m,
    );
    for (const arn of arns.slice(0, 2))
      expect(stderr).toContain(`imported before the failure: ${arn}`);
    for (const arn of arns.slice(2)) expect(stderr).not.toContain(arn);
    // Every hint names the command that works: a plain re-run is refused while the journal exists.
    expect(stderr).toMatch(/^byok-online: hint: .*Run the same import again with --resume/m);
    expect(stderr).not.toContain('Run the same command again');
    const entry = (await logEntries()).at(-1)!;
    expect(entry).toMatchObject({
      command: 'import',
      outcome: 'error',
      error: { code: 'ERR_INTERRUPTED' },
    });
    expect(entry.keys.map((k) => k.keyArn)).toEqual(arns.slice(0, 2));
    expect(await Promise.all(arns.map(keyState))).toEqual([
      'Enabled',
      'Enabled',
      'PendingImport',
      'PendingImport',
    ]);

    // A plain re-run is refused while the journal exists, before anything is read or asked.
    proxy.operations.length = 0;
    const plain = await online([...IMPORT, ...codes]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(
      /^byok-online: error: an import of this request was started before/m,
    );
    expect(plain.stderr).toMatch(/^byok-online: hint: Run the same import with --resume/m);
    expect(proxy.operations).toEqual([]);

    const again = await online([...IMPORT, ...codes, '--resume', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(proxy.operations.filter((o) => o === 'ImportKeyMaterial')).toHaveLength(2);
    const keys = (JSON.parse(again.stdout) as { keys: { keyArn: string }[] }).keys;
    expect(keys.map((k) => k.keyArn)).toEqual(arns);
    expect(await Promise.all(arns.map(keyState))).toEqual(arns.map(() => 'Enabled'));
    const resumed = (await logEntries()).at(-1)!;
    expect(resumed).toMatchObject({ command: 'import', outcome: 'ok' });
    expect(resumed.inputs['resumedJournal']).toMatch(/^[0-9a-f]{64}$/);
    expect(resumed.keys.map((k) => k.keyArn)).toEqual(arns);

    // Run again once finished: complete, its keys named, nothing sent, nothing logged, exit 0.
    proxy.operations.length = 0;
    const lines = (await logEntries()).length;
    const done = await online([...IMPORT, ...codes]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toMatch(
      /^byok-online: the import of this request is complete: all 4 key\(s\) were imported .*nothing to do$/m,
    );
    for (const arn of arns) expect(done.stderr).toContain(`byok-online:   ${arn}\n`);
    expect(done.stderr).not.toContain('was started before');
    expect(proxy.operations).toEqual([]);
    expect(await logEntries()).toHaveLength(lines);
  });
});

describe('import parameters that expired (checked by this clock)', () => {
  it('the first failure and the resumed one both say: prepare again, recover the same material', async () => {
    const request = await preparedRequest(3);
    const codes = await withWrapped(request);
    await interruptedImport(thisFolder(), proxy, [...IMPORT, ...codes, '--concurrency', '1'], {
      signal: 'SIGINT',
      heldImport: 2,
    });
    const later = () => new Date(Date.now() + 25 * 3600 * 1000);
    for (const argv of [
      [...IMPORT, ...codes, '--resume'],
      [...IMPORT, ...codes, '--resume'],
    ]) {
      proxy.operations.length = 0;
      const r = await runOnline([...flags(), ...argv], { cwd, now: later });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^byok-online: error: the import parameters expired for 3 key/m);
      expect(r.stderr).toMatch(
        /^byok-online: hint: .*Prepare again \(byok-online prepare --key-id/m,
      );
      expect(r.stderr).toContain('--reimport');
      expect(r.stderr).toContain(
        'recover the same material for the new request (byok-offline recover',
      );
      expect(r.stderr).not.toMatch(/wrap again|run the same import with --resume/i);
      expect(proxy.operations.filter((o) => o === 'ImportKeyMaterial')).toEqual([]);
    }
    // A first import of a request that expired says the same.
    const fresh = await mkdtemp(join(tmpdir(), 'byok-online-expired-'));
    await writeFile(join(fresh, 'request.json'), JSON.stringify(request));
    // The import tokens prepare kept stay beside the request (version 3).
    await writeFile(
      join(fresh, 'request.json.tokens.json'),
      await readFile(join(cwd, 'request.json.tokens.json')),
    );
    await writeFile(join(fresh, 'wrapped.json'), await readFile(join(cwd, 'wrapped.json')));
    const first = await runOnline([...flags(), ...IMPORT, ...codes], { cwd: fresh, now: later });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('recover the same material for the new request');
    expect(first.stderr).not.toMatch(/wrap again/i);
  });
});

describe('kill -9 during a multi-key import (child process)', () => {
  it('a key sent but unanswered is checked in KMS on --resume, not sent again', async () => {
    const request = await preparedRequest(4);
    const codes = await withWrapped(request);
    const arns = request.targets.map((t) => t.keyArn);
    const { signal } = await interruptedImport(
      thisFolder(),
      proxy,
      [...IMPORT, ...codes, '--concurrency', '1'],
      { signal: 'SIGKILL', heldImport: 2 },
    );
    expect(signal).toBe('SIGKILL');
    const journal = (await readFile(join(cwd, 'request.json.journal.jsonl'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { event?: string; target?: number });
    expect(journal.map((l) => [l.event ?? 'header', l.target])).toEqual([
      ['header', undefined],
      ['sending', 0],
      ['imported', 0],
      ['sending', 1],
    ]);
    // The request the dead process sent still reaches KMS (released once the process was
    // killed): its outcome is unknown to the journal.
    for (let i = 0; i < 100 && (await keyState(arns[1]!)) !== 'Enabled'; i++)
      await new Promise((done) => setTimeout(done, 20));
    expect(await keyState(arns[1]!)).toBe('Enabled');

    proxy.operations.length = 0;
    const again = await online([...IMPORT, ...codes, '--resume']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(
      'resuming the journaled import: 1 of 4 key(s) done, 1 sent without a recorded answer',
    );
    expect(proxy.operations.filter((o) => o === 'ImportKeyMaterial')).toHaveLength(2);
    // One for the unknown outcome, one confirming the journaled key (read-only, never resent).
    expect(proxy.operations.filter((o) => o === 'ListKeyRotations')).toHaveLength(2);
    expect(await Promise.all(arns.map(keyState))).toEqual(arns.map(() => 'Enabled'));
  });
});
