import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry } from '@byok-ceremony/shared';
import { describe, expect, it } from 'vitest';
import { logHead } from '../../shared/test/audit/fixture-logs.js';
import { rawImportFlags, rawPrepareArgv, rawWrapFlags } from '../../../test/ceremony/driver.mjs';
import { Ceremony, OFFLINE_OPS, ONLINE_OPS } from './lifecycle/ceremony-steps.js';
import { simForThisFile } from './helpers/sim-env.js';

// Raw mode (the seed procedure's files) under the same two-person rule as the bundle mode.

const ONLINE_LOG = 'byok-online-audit.jsonl';
const OFFLINE_LOG = 'byok-offline-audit.jsonl';

interface Finding {
  readonly severity: string;
  readonly code: string;
  readonly message: string;
}

const s = simForThisFile();

/** A key, its raw import parameters from prepare --raw-dir, and its PublicKey.bin offline. */
async function rawPrepared(c: Ceremony): Promise<string> {
  const arn = await c.createKey();
  const keyId = arn.split('/').at(-1)!;
  const prep = await c.online([...rawPrepareArgv(keyId), ...ONLINE_OPS]);
  expect(prep.code, prep.stderr).toBe(0);
  await copyFile(
    join(c.onlineDir, 'raw', keyId, 'PublicKey.bin'),
    join(c.offlineDir, 'PublicKey.bin'),
  );
  await c.materialFile('PlaintextKeyMaterial.bin');
  return keyId;
}

function wrapRaw(c: Ceremony, operators: readonly string[]) {
  return c.offline(['wrap', 'raw', ...rawWrapFlags(), ...operators]);
}

function importRaw(c: Ceremony, keyId: string, operators: readonly string[]) {
  return c.online(['import', 'raw', ...rawImportFlags(keyId), ...operators]);
}

/** The whole raw ceremony with these operators; returns the key id. */
async function rawCeremony(
  c: Ceremony,
  offlineOps: readonly string[],
  onlineOps: readonly string[],
): Promise<string> {
  const keyId = await rawPrepared(c);
  const wrap = await wrapRaw(c, offlineOps);
  expect(wrap.code, wrap.stderr).toBe(0);
  await copyFile(
    join(c.offlineDir, 'EncryptedKeyMaterial.bin'),
    join(c.onlineDir, 'EncryptedKeyMaterial.bin'),
  );
  const imp = await importRaw(c, keyId, onlineOps);
  expect(imp.code, imp.stderr).toBe(0);
  return keyId;
}

async function entries(path: string): Promise<AuditEntry[]> {
  const text = await readFile(path, 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditEntry);
}

/** audit verify of both logs, anchored by their heads as the paper record would give them. */
async function verify(c: Ceremony) {
  const logs = [join(c.onlineDir, ONLINE_LOG), join(c.offlineDir, OFFLINE_LOG)];
  const heads = await Promise.all(
    logs.map(async (log) => ['--expect-head', logHead(await readFile(log, 'utf8'))]),
  );
  const r = await c.online(['audit', 'verify', ...logs, ...heads.flat(), '--json']);
  return { ...r, result: JSON.parse(r.stdout) as { verdict: string; findings: Finding[] } };
}

describe('raw mode needs two operators', () => {
  it('prepare --raw-dir → wrap raw → import raw by two operators on each machine: VERIFIED', async () => {
    const c = await Ceremony.start(s);
    const keyId = await rawCeremony(c, OFFLINE_OPS, ONLINE_OPS);

    const [prepare] = (await entries(join(c.onlineDir, ONLINE_LOG))).filter(
      (e) => e.command === 'prepare',
    );
    expect(Object.keys(prepare!.outputs)).toEqual(
      expect.arrayContaining([`raw:${keyId}:PublicKey`, `raw:${keyId}:ImportToken`]),
    );
    const [wrapped] = await entries(join(c.offlineDir, OFFLINE_LOG));
    expect(wrapped!.operators).toEqual(['CAROL', 'DAVE']);
    expect(wrapped!.keys[0]!.keyArn).toBeNull();
    expect(wrapped!.inputs['publicKey']).toBe(prepare!.outputs[`raw:${keyId}:PublicKey`]);

    const v = await verify(c);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.result.verdict).toBe('VERIFIED');
    expect(v.result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(
      v.result.findings.filter((f) => f.code === 'recorded-exception').map((f) => f.message),
    ).toEqual([expect.stringContaining('raw-mode'), expect.stringContaining('raw-mode')]);
  });

  it('verify names a raw import whose wrap is not in the offline log given', async () => {
    const [a, b] = [await Ceremony.start(s), await Ceremony.start(s)];
    for (const c of [a, b]) await rawCeremony(c, OFFLINE_OPS, ONLINE_OPS);
    // A's online log with B's offline log, each anchored by its own head.
    const logs = [join(a.onlineDir, ONLINE_LOG), join(b.offlineDir, OFFLINE_LOG)];
    const heads = await Promise.all(
      logs.map(async (log) => ['--expect-head', logHead(await readFile(log, 'utf8'))]),
    );
    const r = await a.online(['audit', 'verify', ...logs, ...heads.flat(), '--json']);
    expect(r.code).not.toBe(0);
    const { verdict, findings } = JSON.parse(r.stdout) as { verdict: string; findings: Finding[] };
    expect(verdict).toBe('FAILED');
    const interlock = findings.filter((f) => f.code === 'interlock').map((f) => f.message);
    expect(interlock).toEqual(
      expect.arrayContaining([
        expect.stringContaining('wrapped for a public key that no prepare --raw-dir'),
        expect.stringContaining('encrypted key material that no wrap raw in the offline log wrote'),
      ]),
    );
  });

  for (const [what, run] of [
    ['wrap raw', (c: Ceremony, ops: readonly string[]) => wrapRaw(c, ops)],
    [
      'import raw',
      (c: Ceremony, ops: readonly string[]) =>
        importRaw(c, '11111111-2222-3333-4444-555555555555', ops),
    ],
  ] as const) {
    it(`${what} with no operator, or one, is refused before anything is read or logged`, async () => {
      const c = await Ceremony.start(s);
      // No PublicKey.bin nor ImportToken.bin here: any file read would fail with another error.
      for (const [ops, error, hint] of [
        [[], 'two operators are required, got 0', '--single-operator'],
        [['--operator', 'ALICE'], 'two operators are required, got 1', '--single-operator'],
        [['--operator', 'BOB', '--operator', '\u0412\u041e\u0412'], 'named twice', 'look-alike'],
      ] as const) {
        const r = await run(c, ops);
        expect(r.code, r.stderr).not.toBe(0);
        expect(r.stderr).toMatch(new RegExp(`^byok-(offline|online): error: .*${error}`, 'm'));
        expect(r.stderr).toMatch(new RegExp(`^byok-(offline|online): hint: .*${hint}`, 'm'));
        expect(existsSync(join(c.offlineDir, OFFLINE_LOG))).toBe(false);
        expect(existsSync(join(c.onlineDir, ONLINE_LOG))).toBe(false);
        expect(existsSync(join(c.offlineDir, 'EncryptedKeyMaterial.bin'))).toBe(false);
      }
    });
  }

  it('--single-operator runs raw mode alone, and verify lists the exception', async () => {
    const c = await Ceremony.start(s);
    await rawCeremony(
      c,
      ['--operator', 'CAROL', '--single-operator'],
      ['--operator', 'ALICE', '--single-operator'],
    );
    const [wrapped] = await entries(join(c.offlineDir, OFFLINE_LOG));
    expect(wrapped!.exceptions).toEqual(['raw-mode', 'single-operator']);
    const imported = (await entries(join(c.onlineDir, ONLINE_LOG))).at(-1)!;
    expect(imported.exceptions).toEqual(['single-operator', 'raw-mode']);

    const v = await verify(c);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.result.verdict).toBe('VERIFIED');
    const alone = v.result.findings.filter((f) => f.code === 'single-operator');
    expect(alone.map((f) => f.severity)).toEqual(['exception', 'exception']);
    // The printed record lists both exceptions too.
    const heads = await Promise.all(
      [join(c.onlineDir, ONLINE_LOG), join(c.offlineDir, OFFLINE_LOG)].map(async (log) => [
        '--log',
        log,
        '--expect-head',
        logHead(await readFile(log, 'utf8')),
      ]),
    );
    const report = await c.online([
      'report',
      ...heads.flat(),
      '--format',
      'md',
      '--out',
      'record.md',
    ]);
    expect(report.code, report.stderr).toBe(0);
    const record = await readFile(join(c.onlineDir, 'record.md'), 'utf8');
    const exceptions = record.slice(record.indexOf('## Exceptions'));
    for (const who of ['CAROL', 'ALICE'])
      expect(exceptions).toMatch(new RegExp(`was done by ${who} alone \\\\?\\(--single-operator`));
  });
});
