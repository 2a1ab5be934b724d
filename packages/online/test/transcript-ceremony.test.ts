import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  carry,
  importArgv,
  ONLINE_OPERATORS,
  prepareArgv,
  wrapArgv,
} from '../../../test/ceremony/driver.mjs';
import { OFFLINE_BIN, ONLINE_BIN, runChild, type CliResult } from './helpers/run-online.js';
import { startSimEnv, type SimEnv } from './helpers/sim-env.js';

interface Finding {
  severity: string;
  code: string;
  file: string | null;
  line: number | null;
}

let s: SimEnv;
let onlineDir: string;
let offlineDir: string;
let material: Buffer;
const online = (argv: string[], cwd = onlineDir): Promise<CliResult> =>
  runChild(ONLINE_BIN, [...s.flags, ...argv], { cwd, env: s.env });
const offline = (argv: string[], cwd = offlineDir): Promise<CliResult> =>
  runChild(OFFLINE_BIN, argv, { cwd, env: s.env });
/** ALICE and BOB, at both machines in this ceremony: their operator keys sign each step. */
const OPERATORS = ONLINE_OPERATORS;
const KEYS = ['--operator-key', 'alice.key.json', '--operator-key', 'bob.key.json'];
const PASSPHRASES = ['--passphrase-file', 'alice.pass', '--passphrase-file', 'bob.pass'];
const PINS = ['--operator-pubkey', 'alice.pub.json', '--operator-pubkey', 'bob.pub.json'];

function ok(r: CliResult): CliResult {
  expect(r.code, r.stderr).toBe(0);
  return r;
}

/** A whole ceremony with two operators who sign with operator keys, as child processes. */
beforeAll(async () => {
  s = await startSimEnv();
  onlineDir = await mkdtemp(join(tmpdir(), 'byok-transcript-online-'));
  offlineDir = await mkdtemp(join(tmpdir(), 'byok-transcript-offline-'));
  for (const name of ['alice', 'bob']) {
    await writeFile(join(offlineDir, `${name}.pass`), `${name} has a long passphrase\n`);
    ok(
      await offline([
        'operator',
        'keygen',
        '--name',
        name.toUpperCase(),
        '--passphrase-file',
        `${name}.pass`,
        '--out',
        `${name}.key.json`,
        '--public-out',
        `${name}.pub.json`,
        '--audit-log',
        'keygen-audit.jsonl',
      ]),
    );
    // Each operator carries their own key file to the online machine.
    for (const file of [`${name}.key.json`, `${name}.pub.json`, `${name}.pass`])
      await copyFile(join(offlineDir, file), join(onlineDir, file));
  }
  material = randomBytes(32);
  await writeFile(join(offlineDir, 'material.bin'), material, { mode: 0o600 });

  const created = ok(
    await online(['create-key', '--key-spec', 'SYMMETRIC_DEFAULT', '--json', ...OPERATORS]),
  );
  const arn = (JSON.parse(created.stdout) as { arn: string }).arn;
  const prepared = ok(
    await online([
      ...prepareArgv('request.json', ['--key-id', arn, '--wrapping-key-spec', 'RSA_2048']),
      '--json',
    ]),
  );
  const requestCode = (JSON.parse(prepared.stdout) as { checkCode: string }).checkCode;
  await carry(onlineDir, offlineDir, ['request.json']);
  // The same two operators at both machines, each signing with their operator key.
  const signed = [...KEYS, ...PASSPHRASES];
  const wrapped = ok(
    await offline([
      ...wrapArgv(
        'request.json',
        requestCode,
        'wrapped.json',
        ['--material-file', 'material.bin', ...signed],
        OPERATORS,
      ),
      '--json',
    ]),
  );
  const wrappedCode = (JSON.parse(wrapped.stdout) as { checkCode: string }).checkCode;
  await carry(offlineDir, onlineDir, ['wrapped.json']);
  ok(await online([...importArgv('request.json', 'wrapped.json', wrappedCode, signed), '--json']));
  // Both logs in one folder, as the auditor receives them.
  await copyFile(join(onlineDir, 'byok-online-audit.jsonl'), join(onlineDir, 'online.jsonl'));
  await copyFile(join(offlineDir, 'byok-offline-audit.jsonl'), join(onlineDir, 'offline.jsonl'));
});
afterAll(async () => {
  await s.close();
});

async function verifyJson(tool: 'online' | 'offline', logs: string[], extra: string[] = []) {
  const r = await (tool === 'online' ? online : offline)(
    ['audit', 'verify', ...logs, ...extra, '--json'],
    onlineDir,
  );
  return {
    ...r,
    result: JSON.parse(r.stdout) as { ok: boolean; findings: Finding[]; runs: unknown[] },
  };
}

const errorsOf = (findings: Finding[]) =>
  findings
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.code}@${f.file ?? '-'}:${f.line ?? '-'}`);

describe('a two-operator ceremony verified end to end', () => {
  it('verifies both logs together, with the operator keys pinned, on either machine', async () => {
    const online = await verifyJson('online', ['online.jsonl', 'offline.jsonl'], PINS);
    expect(errorsOf(online.result.findings)).toEqual([]);
    expect(online.code).toBe(0);
    expect(online.result.runs).toHaveLength(1);
    const offline = await verifyJson('offline', ['offline.jsonl', 'online.jsonl'], PINS);
    expect(offline.code).toBe(0);
    const log = await readFile(join(onlineDir, 'offline.jsonl'), 'utf8');
    expect(log).toContain('"signatures":[{"operator":"ALICE"');
  });

  it('prints the verdict and each head for people', async () => {
    const r = await online(['audit', 'verify', 'online.jsonl', 'offline.jsonl', ...PINS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^online\.jsonl: 3 line\(s\) written by byok-online, head [0-9a-f]{64}$/m,
    );
    expect(r.stdout).toMatch(
      /^VERIFIED \(rehearsal: KMS endpoint http:\/\/127\.0\.0\.1:\d+ is not AWS\): 2 log\(s\), 0 exception\(s\) on record$/m,
    );
  });

  it('never puts the material in a log, the bundles or the report', async () => {
    ok(
      await online([
        'report',
        '--log',
        'online.jsonl',
        '--log',
        'offline.jsonl',
        '--out',
        'secret-check.md',
        ...PINS,
      ]),
    );
    const files = ['online.jsonl', 'offline.jsonl', 'wrapped.json', 'secret-check.md'];
    for (const file of files) {
      const text = await readFile(join(onlineDir, file), 'utf8');
      for (const form of [
        material.toString('hex'),
        material.toString('hex').toUpperCase(),
        material.toString('base64'),
      ])
        expect(text.includes(form), `${file} contains the material`).toBe(false);
      expect(text).not.toContain('has a long passphrase');
    }
  });

  it('reports a signature by a key other than the pinned one', async () => {
    await writeFile(join(offlineDir, 'mallory.pass'), 'mallory has a long passphrase\n');
    ok(
      await offline([
        'operator',
        'keygen',
        '--name',
        'BOB',
        '--passphrase-file',
        'mallory.pass',
        '--out',
        'impostor.key.json',
        '--public-out',
        'impostor.pub.json',
        '--audit-log',
        'keygen-audit.jsonl',
      ]),
    );
    await copyFile(join(offlineDir, 'impostor.pub.json'), join(onlineDir, 'impostor.pub.json'));
    const r = await verifyJson(
      'online',
      ['online.jsonl', 'offline.jsonl'],
      ['--operator-pubkey', 'alice.pub.json', '--operator-pubkey', 'impostor.pub.json'],
    );
    expect(r.code).toBe(1);
    expect(errorsOf(r.result.findings)).toEqual([
      'signature-unexpected-key@online.jsonl:3',
      'signature-unexpected-key@offline.jsonl:1',
    ]);
    expect(r.stderr).toContain(
      'byok-online: error: the audit log(s) failed verification (2 problem(s))',
    );
  });
});

describe('tampering with a real log is caught at the right line', () => {
  async function tampered(name: string, edit: (lines: string[]) => string[]): Promise<string[]> {
    const online = (await readFile(join(onlineDir, 'online.jsonl'), 'utf8'))
      .split('\n')
      .slice(0, -1);
    await writeFile(
      join(onlineDir, name),
      edit(online)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const r = await verifyJson('online', [name, 'offline.jsonl'], PINS);
    expect(r.code).toBe(1);
    return errorsOf(r.result.findings);
  }

  it('an edited line', async () => {
    const found = await tampered('edited.jsonl', (l) => [
      l[0]!.replace('"BOB"', '"MALLORY"'),
      l[1]!,
      l[2]!,
    ]);
    expect(found).toContain('line-edited@edited.jsonl:1');
  });

  it('a deleted line', async () => {
    const found = await tampered('deleted.jsonl', (l) => [l[0]!, l[2]!]);
    expect(found).toContain('line-removed@deleted.jsonl:2');
  });

  it('swapped lines', async () => {
    const found = await tampered('swapped.jsonl', (l) => [l[1]!, l[0]!, l[2]!]);
    expect(found).toContain('line-out-of-order@swapped.jsonl:2');
  });

  it('an inserted line', async () => {
    const found = await tampered('inserted.jsonl', (l) => [
      l[0]!,
      l[1]!,
      l[1]!.replace('"ALICE"', '"EVE"'),
      l[2]!,
    ]);
    expect(found).toContain('line-inserted@inserted.jsonl:3');
  });

  it('a signed import entry edited at the end of the log, where the chain cannot see it', async () => {
    const found = await tampered('last-edited.jsonl', (l) => [
      l[0]!,
      l[1]!,
      l[2]!.replace('"Enabled"', '"Disabled"'),
    ]);
    expect(found).toEqual([
      'signature-invalid@last-edited.jsonl:3',
      'signature-invalid@last-edited.jsonl:3',
      // With its signatures broken, nothing anchors the import any more.
      'unanchored@last-edited.jsonl:3',
      'incomplete@last-edited.jsonl:3',
    ]);
  });
});
