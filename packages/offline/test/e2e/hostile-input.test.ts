import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  bundleDigest,
  checkCodeOf,
  splitIntoFrames,
  type ImportRequestBundle,
} from '@byok-ceremony/shared';
import { encodeQrPng, renderQrMatrix } from '@byok-ceremony/node-io/qr-encode';
import { describe, expect, it } from 'vitest';
import { expectStandInStopped } from '../helpers/stand-in-stopped.js';
import { wrapArgv } from '../../../../test/ceremony/driver.mjs';
import { importRequest } from '../helpers/request-fixture.js';
import { tempDir } from '../helpers/run-cli.js';
import { runProcess, type ProcessResult } from '../helpers/run-process.js';

// Each hostile input through the real byok-offline process: one error and hint, no stack trace.

function freshRequest(): ImportRequestBundle {
  const validTo = new Date(Date.now() + 12 * 3600 * 1000);
  return importRequest([{ keySpec: 'SYMMETRIC_DEFAULT', validTo }]);
}

function expectOneClearError(result: ProcessResult, message: RegExp): void {
  expect(result.code).toBe(1);
  const errors = result.stderr.split('\n').filter((l) => l.startsWith('byok-offline: error: '));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  expect(result.stderr).toMatch(/^byok-offline: hint: \S/m);
  expect(result.stderr).not.toMatch(/^\s+at |RangeError|TypeError|unexpected failure/m);
  expect(result.stderr.length).toBeLessThan(8000);
}

/** A compact payload in QR stills, as a hostile screen would show it. */
function writeQrStills(dir: string, payload: Uint8Array): void {
  mkdirSync(dir);
  splitIntoFrames('import-request', payload, 'high').forEach((text, i) => {
    writeFileSync(join(dir, `frame-${i + 1}.png`), encodeQrPng(renderQrMatrix(text), { scale: 3 }));
  });
}

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  out.push(n);
  return out;
}

describe('byok-offline against hostile input', () => {
  it('a 2.3 MB request with 200,000 unknown fields: inspect and wrap', () => {
    const dir = tempDir();
    const request: Record<string, unknown> = { ...freshRequest() };
    for (let i = 0; i < 200_000; i++) request[`x${i}`] = 1;
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const code = checkCodeOf(bundleDigest(request as unknown as ImportRequestBundle));
    expectOneClearError(
      runProcess(['inspect', '--request', 'request.json'], dir),
      /The import request is invalid \(200000 problem\(s\)\)/,
    );
    const wrap = runProcess(
      wrapArgv(
        'request.json',
        code,
        'wrapped.json',
        ['--no-backup'],
        ['--operator', 'ALICE', '--operator', 'BOB'],
      ),
      dir,
    );
    expectOneClearError(wrap, /The import request is invalid \(200000 problem\(s\)\)/);
    expect(wrap.stderr).toContain('byok-offline:   … and 199980 more problem(s)');
    expect(existsSync(join(dir, 'wrapped.json'))).toBe(false);
    const log = readFileSync(join(dir, 'byok-offline-audit.jsonl'), 'utf8');
    expect(log.length).toBeLessThan(8000);
    expect(log).toContain('"outcome":"error"');
  });

  it('143 nested string frames in a QR transfer', () => {
    const dir = tempDir();
    const nested = (depth: number): number[] =>
      depth === 0 ? [5, 0] : [10, ...nested(depth - 1), ...new Array<number>(16).fill(0), 5, 0];
    writeQrStills(join(dir, 'frames'), Uint8Array.from([1, ...nested(143)]));
    const result = runProcess(['scan', '--out', 'request.json', 'frames'], dir);
    expectOneClearError(
      result,
      /not hold a valid compact bundle: strings nest deeper than 4 levels/,
    );
    expect(existsSync(join(dir, 'request.json'))).toBe(false);
  });

  it('a Seconds value above 8.64e12 in a QR transfer', () => {
    const dir = tempDir();
    writeQrStills(join(dir, 'frames'), Uint8Array.from([1, 11, ...varint(8.64e12 + 1)]));
    const result = runProcess(['scan', '--out', 'request.json', 'frames'], dir);
    expectOneClearError(result, /a time of 8640000000001 s is after the year 9999/);
    expect(existsSync(join(dir, 'request.json'))).toBe(false);
  });

  it('a dangling symbolic link at the audit log path', () => {
    const dir = tempDir();
    const request = freshRequest();
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const code = checkCodeOf(bundleDigest(request));
    symlinkSync(join(dir, 'elsewhere', 'log.jsonl'), join(dir, 'audit.jsonl'));
    mkdirSync(join(dir, 'elsewhere'));
    const result = runProcess(
      ['wrap', '--request', 'request.json', '--out', 'wrapped.json', '--no-backup'].concat(
        ['--operator', 'ALICE', '--operator', 'BOB', '--check-code', code, '--check-code', code],
        ['--audit-log', 'audit.jsonl'],
      ),
      dir,
    );
    expectOneClearError(
      result,
      /the audit log .*audit\.jsonl is a symbolic link: it is not followed/,
    );
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual([]);
    expect(existsSync(join(dir, 'wrapped.json'))).toBe(false);
  });

  it('a camera that opens but sends nothing', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bin'));
    writeFileSync(
      join(dir, 'bin', 'ffmpeg'),
      `#!/bin/sh\necho $$ > ${dir}/ffmpeg.pid\nexec sleep 600\n`,
      {
        mode: 0o755,
      },
    );
    const result = runProcess(
      ['scan', '--out', 'request.json', '--camera', '/dev/video0', '--camera-timeout', '1'],
      dir,
      [],
      { PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}` },
    );
    expectOneClearError(
      result,
      /the camera \/dev\/video0 sent no image in 1 s; ffmpeg was stopped/,
    );
    expect(existsSync(join(dir, 'request.json'))).toBe(false);
    await expectStandInStopped(join(dir, 'ffmpeg.pid'), join(dir, 'bin', 'ffmpeg'));
  });

  it('an operator key file with scrypt N = 2^20, r = 1', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pass'), 'a passphrase long enough\n', { mode: 0o600 });
    const keygen = runProcess(
      ['operator', 'keygen', '--name', 'ALICE', '--passphrase-file', 'pass', '--out', 'alice.key'],
      dir,
    );
    expect(keygen.code, keygen.stderr).toBe(0);
    const keyFile = JSON.parse(readFileSync(join(dir, 'alice.key'), 'utf8')) as {
      privateKey: { N: number; r: number };
    };
    keyFile.privateKey.N = 2 ** 20;
    keyFile.privateKey.r = 1;
    writeFileSync(join(dir, 'alice.key'), JSON.stringify(keyFile), { mode: 0o600 });
    const request = freshRequest();
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const code = checkCodeOf(bundleDigest(request));
    const result = runProcess(
      ['wrap', '--request', 'request.json', '--out', 'wrapped.json', '--no-backup'].concat(
        ['--operator', 'ALICE', '--single-operator', '--check-code', code],
        ['--operator-key', 'alice.key', '--passphrase-file', 'pass'],
      ),
      dir,
    );
    expectOneClearError(result, /alice\.key is not a valid operator key file/);
    expect(result.stderr).toContain(
      'operatorKey.privateKey.N: is 2^20, but scrypt needs N below 2^(16·r) = 2^16 for r = 1',
    );
    expect(existsSync(join(dir, 'wrapped.json'))).toBe(false);
  });
});

describe('a FIFO where a secret file is expected', () => {
  // With no writer, a blocking open of a FIFO never returns, and SIGTERM cannot end the wait.
  // Each read must refuse it at once; a hang would end only at this bound, failing the test.
  const KILL_AFTER_MS = 120_000;
  const cases: { what: string; args: (fifo: string) => string[]; message: RegExp }[] = [
    {
      what: 'a material file',
      args: (fifo) => ['wrap', '--material-file', fifo],
      message: /material file \S*\/fifo is not a regular file \(a FIFO\)/,
    },
    {
      what: 'a component file',
      args: (fifo) => [
        'wrap',
        '--components',
        '2',
        '--component-file',
        fifo,
        '--component-file',
        fifo,
      ],
      message: /component file \S*\/fifo is not a regular file \(a FIFO\)/,
    },
    {
      what: 'a share file',
      args: (fifo) => ['recover', '--shares', fifo, fifo],
      message: /share file \S*\/fifo is not a regular file \(a FIFO\)/,
    },
    {
      what: 'an age identity file',
      args: (fifo) => ['recover', '--age', 'set.age', '--identity', fifo],
      message: /age identity file \S*\/fifo is not a regular file \(a FIFO\)/,
    },
    {
      what: 'an age passphrase file',
      args: (fifo) => ['recover', '--age', 'set.age', '--age-passphrase-file', fifo],
      message: /the passphrase file \S*\/fifo is refused: it is not a regular file/,
    },
    {
      what: 'an operator key file',
      args: (fifo) => ['wrap', '--no-backup', '--operator-key', fifo, '--passphrase-file', 'pass'],
      message: /the operator key \S*\/fifo is refused: it is not a regular file/,
    },
  ];
  for (const { what, args, message } of cases)
    it(`${what}: refused at once with an error and a hint, nothing written`, () => {
      const dir = tempDir();
      const request = freshRequest();
      writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
      writeFileSync(join(dir, 'set.age'), 'not read this far\n');
      writeFileSync(join(dir, 'pass'), 'a passphrase long enough\n', { mode: 0o600 });
      execFileSync('mkfifo', ['-m', '600', join(dir, 'fifo')]);
      const code = checkCodeOf(bundleDigest(request));
      const result = runProcess(
        [
          ...args('fifo'),
          ...['--request', 'request.json', '--out', 'wrapped.json'],
          ...['--operator', 'ALICE', '--single-operator', '--check-code', code],
        ],
        dir,
        [],
        {},
        undefined,
        KILL_AFTER_MS,
      );
      expect(result.signal, `killed after ${KILL_AFTER_MS} ms: ${result.stderr}`).toBeNull();
      expectOneClearError(result, message);
      expect(existsSync(join(dir, 'wrapped.json'))).toBe(false);
    });
});
