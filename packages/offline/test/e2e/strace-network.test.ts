import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeQrPng, renderQrMatrix } from '@byok-ceremony/node-io/qr-encode';
import { bundleDigest, bundleToQrFrames, checkCodeOf } from '@byok-ceremony/shared';
import { describe, expect, it } from 'vitest';
import { importRequest } from '../helpers/request-fixture.js';
import { tempDir } from '../helpers/run-cli.js';
import { CLI } from '../helpers/run-process.js';
import { expectNoNetwork, traceNetwork, type NetworkTrace } from '../helpers/trace-network.js';
import { soloWrapArgv } from '../../../../test/ceremony/driver.mjs';

// The built byok-offline in real child processes, every network system call recorded by strace.

const offline = (args: readonly string[], cwd: string): NetworkTrace =>
  traceNetwork(process.execPath, [CLI, ...args], { cwd });

describe('byok-offline opens no Internet socket (strace -f -e trace=network)', () => {
  it('the trace sees a socket when one is opened', () => {
    const control = traceNetwork(
      process.execPath,
      ['-e', "require('node:net').connect(9, '127.0.0.1').on('error', () => {})"],
      { cwd: tempDir() },
    );
    expect(control.families).toContain('AF_INET');
    expect(control.internetCalls.some((call) => call.includes('connect('))).toBe(true);
  });

  it('inspect, scan, wrap, audit head and audit verify', () => {
    const dir = tempDir();
    const request = importRequest([
      { keySpec: 'HMAC_256', validTo: new Date(Date.now() + 24 * 3600 * 1000) },
    ]);
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    mkdirSync(join(dir, 'stills'));
    bundleToQrFrames(request, 'low').forEach((text, i) => {
      writeFileSync(
        join(dir, 'stills', `frame-${String(i + 1).padStart(3, '0')}.png`),
        encodeQrPng(renderQrMatrix(text), { scale: 4 }),
      );
    });

    const inspect = offline(['inspect', '--request', 'request.json'], dir);
    expectNoNetwork(inspect);
    expect(inspect.stdout).toContain(request.targets[0]!.keyArn);
    expect(inspect.stdout).not.toContain(checkCodeOf(bundleDigest(request)));

    // scan decodes through jsQR and ZXing's WebAssembly: the .wasm comes from node_modules.
    const scan = offline(['scan', '--out', 'scanned.json', 'stills'], dir);
    expectNoNetwork(scan);
    expect(bundleDigest(JSON.parse(readFileSync(join(dir, 'scanned.json'), 'utf8')))).toBe(
      bundleDigest(request),
    );

    const wrap = offline(soloWrapArgv('scanned.json', checkCodeOf(bundleDigest(request))), dir);
    expectNoNetwork(wrap);
    expect(readFileSync(join(dir, 'wrapped.json'), 'utf8')).toContain('encryptedKeyMaterial');

    const head = offline(['audit', 'head', 'byok-offline-audit.jsonl'], dir);
    expectNoNetwork(head);
    const verify = offline(
      [
        'audit',
        'verify',
        'byok-offline-audit.jsonl',
        '--expect-head',
        /\b[0-9a-f]{64}\b/.exec(head.stdout)![0],
      ],
      dir,
    );
    expectNoNetwork(verify);
    expect(verify.stdout).toMatch(/^VERIFIED: 1 log/m);
  });

  it('wrap with Shamir and age backups, recover from two shares and from the age file', () => {
    const dir = tempDir();
    const validTo = new Date(Date.now() + 24 * 3600 * 1000);
    const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT', validTo }]);
    const next = {
      ...importRequest([
        { keySpec: 'SYMMETRIC_DEFAULT', validTo, keyArn: request.targets[0]!.keyArn },
      ]),
    };
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    writeFileSync(join(dir, 'next.json'), JSON.stringify(next));
    execFileSync('age-keygen', ['-o', join(dir, 'key.txt')], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', join(dir, 'key.txt')])
      .toString()
      .trim();
    const confirm = (r: typeof request): string[] => [
      '--single-operator',
      '--operator',
      'ALICE',
      '--check-code',
      checkCodeOf(bundleDigest(r)),
    ];
    const wrap = offline(
      [
        'wrap',
        '--request',
        'request.json',
        '--out',
        'wrapped.json',
        '--backup',
        'shamir:2-of-3',
        '--backup',
        `age:${recipient}`,
        '--backup-dir',
        'backup',
        ...confirm(request),
      ],
      dir,
    );
    expectNoNetwork(wrap);
    const recover = offline(
      [
        'recover',
        '--shares',
        'backup/share-1-of-3.txt',
        'backup/share-3-of-3.txt',
        '--request',
        'next.json',
        '--out',
        'recovered.json',
        ...confirm(next),
      ],
      dir,
    );
    expectNoNetwork(recover);
    expect(recover.stdout).toContain('Wrote');
    const fromAge = offline(
      [
        'recover',
        '--age',
        'backup/material-set.age',
        '--identity',
        'key.txt',
        '--request',
        'next.json',
        '--out',
        'from-age.json',
        ...confirm(next),
      ],
      dir,
    );
    expectNoNetwork(fromAge);
    expect(fromAge.stdout).toContain('Wrote');
  });
});
