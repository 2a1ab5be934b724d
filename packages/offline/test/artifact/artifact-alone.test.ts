import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleDigest, sha256ReadAloud, type ImportRequestBundle } from '@byok-ceremony/shared';
import { importArgv, prepareArgv, wrapArgv } from '../../../../test/ceremony/driver.mjs';
import { ONLINE_BIN, runChild } from '../../../online/test/helpers/run-online.js';
import { startSimEnv, type SimEnv } from '../../../online/test/helpers/sim-env.js';
import { expectNoNetwork, traceNetwork, type NetworkTrace } from '../helpers/trace-network.js';
import { softHsmToken } from '../../../../test/softhsm.js';
import { REPO, buildOffline, nodeModulesAbove } from './build.js';

// The single-file byok-offline, copied alone into an empty folder under the system temp folder,
// against a request that byok-online prepare made against byok-kms-sim: what the air-gapped
// machine gets. The online side runs from this repository as the networked machine would.

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let s: SimEnv;
let offlineDir: string;
let onlineDir: string;
let artifact: string;

/** The artifact with plain node, a bare environment, and no way to reach this repository's modules. */
function offline(args: readonly string[]): Run {
  const r = spawnSync(process.execPath, [artifact, ...args], {
    cwd: offlineDir,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asynchronous: the simulator answers from this process's event loop. */
function online(args: readonly string[]): Promise<Run> {
  return runChild(ONLINE_BIN, [...s.flags, ...args], { cwd: onlineDir, env: s.env });
}

/** The artifact under strace -f -e trace=network (the shared helper of the no-network tests). */
function traced(args: readonly string[], nodeOptions: readonly string[] = []): NetworkTrace {
  return traceNetwork(process.execPath, [...nodeOptions, artifact, ...args], { cwd: offlineDir });
}

beforeAll(async () => {
  const built = buildOffline(mkdtempSync(join(tmpdir(), 'byok-artifact-build-')), tmpdir());
  offlineDir = mkdtempSync(join(tmpdir(), 'byok-airgap-'));
  onlineDir = mkdtempSync(join(tmpdir(), 'byok-online-'));
  artifact = join(offlineDir, 'byok-offline.mjs');
  copyFileSync(built.bundle, artifact);
  s = await startSimEnv();
});
afterAll(async () => {
  await s.close();
});

describe('the single-file byok-offline, alone in an empty folder', () => {
  it('has no node_modules anywhere above it', () => {
    expect(nodeModulesAbove(offlineDir)).toEqual([]);
  });

  it("the OS's sha256sum gives the read-aloud form; version prints the same, and says it catches accidental damage only", () => {
    // The verification docs/airgap.md gives, with the operating system's tools only.
    const byOs = spawnSync(
      'sh',
      [
        '-c',
        "sha256sum byok-offline.mjs | cut -c1-4,5-8,9-12,13-16,17-20,21-24 --output-delimiter=' '",
      ],
      { cwd: offlineDir, encoding: 'utf8' },
    ).stdout.trim();
    const digest = createHash('sha256').update(readFileSync(artifact)).digest('hex');
    expect(byOs).toBe(sha256ReadAloud(digest));
    const r = offline(['version', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      tool: 'byok-offline',
      version: expect.any(String),
      kind: 'single-file',
      path: artifact,
      sha256: digest,
      readAloud: byOs,
      attests: 'accidental damage only',
    });
    const human = offline(['version']);
    expect(human.stdout).toContain(`Read aloud: ${byOs}`);
    expect(human.stdout).toContain('it catches accidental damage only');
    expect(human.stdout).toContain("verify it with this machine's sha256sum");
    expect(offline(['version', '--help']).stdout).toContain('catches accidental damage only');
  });

  it('self-test passes', () => {
    const r = offline(['self-test']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Self-test passed: 8 families/m);
  });

  it('scans, inspects and wraps a request prepared against byok-kms-sim, without a socket; KMS imports the answer', async () => {
    const key = await online(['create-key', '--key-spec', 'SYMMETRIC_DEFAULT', '--json']);
    expect(key.code, key.stderr).toBe(0);
    const arn = (JSON.parse(key.stdout) as { arn: string }).arn;
    const prep = await online([
      ...prepareArgv('request.json', ['--key-id', arn, '--qr', 'request-qr']),
      '--json',
    ]);
    expect(prep.code, prep.stderr).toBe(0);
    const requestCode = (JSON.parse(prep.stdout) as { checkCode: string }).checkCode;

    // Only the QR frames cross to the offline folder.
    cpSync(join(onlineDir, 'request-qr'), join(offlineDir, 'frames'), { recursive: true });
    const scan = traced(['scan', '--out', 'request.json', 'frames', '--json']);
    expectNoNetwork(scan);
    const digestOf = (dir: string): string =>
      bundleDigest(
        JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8')) as ImportRequestBundle,
      );
    expect(digestOf(offlineDir)).toBe(digestOf(onlineDir));

    const inspect = offline(['inspect', '--request', 'request.json', '--json']);
    expect(inspect.code, inspect.stderr).toBe(0);
    // The reading side never shows the code it is meant to check: operators read it off prepare.
    const shown = JSON.parse(inspect.stdout) as { targets: { keyArn: string }[] };
    expect(shown.targets.length).toBeGreaterThan(0);
    expect(inspect.stdout.replace(/-/g, '').toUpperCase()).not.toContain(
      requestCode.replace(/-/g, ''),
    );

    const wrap = traced([
      ...wrapArgv('request.json', requestCode, 'wrapped.json', [
        '--backup',
        'shamir:2-of-3',
        '--backup-dir',
        'backups',
      ]),
      '--json',
    ]);
    expectNoNetwork(wrap);
    const wrappedCode = (JSON.parse(wrap.stdout) as { checkCode: string }).checkCode;

    // Two of the three custodians' shares rebuild the same material, without a socket either.
    const recover = traced([
      'recover',
      '--shares',
      'backups/share-1-of-3.txt',
      'backups/share-3-of-3.txt',
      '--request',
      'request.json',
      '--out',
      'recovered.json',
      '--operator',
      'CAROL',
      '--operator',
      'DAVE',
      '--check-code',
      requestCode,
      '--check-code',
      requestCode,
      '--json',
    ]);
    expectNoNetwork(recover);
    const kcvsOf = (file: string): string[] =>
      (
        JSON.parse(readFileSync(join(offlineDir, file), 'utf8')) as {
          materials: { kcv: string }[];
        }
      ).materials.map((m) => m.kcv);
    expect(kcvsOf('recovered.json')).toEqual(kcvsOf('wrapped.json'));

    // The head as the witness writes it on the paper record anchors the log.
    const head = offline(['audit', 'head', 'byok-offline-audit.jsonl']);
    expect(head.code, head.stderr).toBe(0);
    const hash = /\b[0-9a-f]{64}\b/.exec(head.stdout)![0];
    const verify = traced(['audit', 'verify', 'byok-offline-audit.jsonl', '--expect-head', hash]);
    expectNoNetwork(verify);

    copyFileSync(join(offlineDir, 'wrapped.json'), join(onlineDir, 'wrapped.json'));
    const imported = await online([
      ...importArgv('request.json', 'wrapped.json', wrappedCode),
      '--json',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
  });

  it('--hsm: refused with the hint while pkcs11js is not beside it; with node_modules/pkcs11js copied beside it (docs/airgap.md), wraps in a SoftHSM token and KMS imports the answer', async () => {
    const token = await softHsmToken();
    const key = await online(['create-key', '--key-spec', 'SYMMETRIC_DEFAULT', '--json']);
    expect(key.code, key.stderr).toBe(0);
    const arn = (JSON.parse(key.stdout) as { arn: string }).arn;
    const prep = await online([
      ...prepareArgv('hsm-request.json', [
        '--key-id',
        arn,
        '--wrapping-algorithm',
        'RSAES_OAEP_SHA_1',
      ]),
      '--json',
    ]);
    expect(prep.code, prep.stderr).toBe(0);
    const requestCode = (JSON.parse(prep.stdout) as { checkCode: string }).checkCode;
    const hsmArgs = [
      ...wrapArgv('request.json', requestCode, 'wrapped.json', ['--hsm', token.uri]),
      '--json',
    ];
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...token.env };

    // The artifact alone (no node_modules anywhere above it) has no binding to load.
    copyFileSync(join(onlineDir, 'hsm-request.json'), join(offlineDir, 'hsm-request.json'));
    const alone = spawnSync(
      process.execPath,
      [artifact, ...hsmArgs.map((a) => (a.endsWith('.json') ? `hsm-${a}` : a))],
      { cwd: offlineDir, env, encoding: 'utf8' },
    );
    expect(alone.status).not.toBe(0);
    expect(alone.stderr).toMatch(/^byok-offline: error: --hsm needs the PKCS#11 binding pkcs11js/m);
    expect(alone.stderr).toMatch(/^byok-offline: hint: .*docs\/airgap\.md/m);

    // The binding as the runbook carries it: its folder in node_modules beside the artifact.
    const hsmDir = mkdtempSync(join(tmpdir(), 'byok-airgap-hsm-'));
    copyFileSync(artifact, join(hsmDir, 'byok-offline.mjs'));
    cpSync(join(REPO, 'node_modules', 'pkcs11js'), join(hsmDir, 'node_modules', 'pkcs11js'), {
      recursive: true,
    });
    copyFileSync(join(onlineDir, 'hsm-request.json'), join(hsmDir, 'request.json'));
    const wrap = traceNetwork(process.execPath, [join(hsmDir, 'byok-offline.mjs'), ...hsmArgs], {
      cwd: hsmDir,
      env: token.env,
    });
    expect(wrap.code, wrap.stderr).toBe(0);
    expectNoNetwork(wrap);
    const wrappedCode = (JSON.parse(wrap.stdout) as { checkCode: string }).checkCode;
    copyFileSync(join(hsmDir, 'wrapped.json'), join(onlineDir, 'hsm-wrapped.json'));
    const imported = await online([
      ...importArgv('hsm-request.json', 'hsm-wrapped.json', wrappedCode),
      '--json',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
  });

  it('the strace check sees an internet socket when one is opened', () => {
    const hook = join(mkdtempSync(join(tmpdir(), 'byok-socket-')), 'open-socket.mjs');
    writeFileSync(
      hook,
      "import net from 'node:net';\nnet.connect(9, '127.0.0.1').on('error', () => undefined);\n",
    );
    const control = traced(['inspect', '--help'], ['--import', hook]);
    expect(control.internetCalls.length).toBeGreaterThan(0);
  });
});
