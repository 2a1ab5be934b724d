import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { parseRequestLog, REHEARSAL_CREDENTIALS } from '@byok-ceremony/kms-sim';
import type { AuditEntry } from '@byok-ceremony/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CeremonyDriver,
  importArgv,
  keyIdFlags,
  startSimProcess,
  type SimProcess,
} from '../../../test/ceremony/driver.mjs';
import { runBounded } from '../src/ops/run-bounded.js';
import { OFFLINE_BIN, ONLINE_BIN, runChild } from './helpers/run-online.js';

const KEYS = 1000;
const FAULTS = 'throttle=0.2,internal=0.05,reset=0.05';
const SIM_BIN = fileURLToPath(new URL('../../kms-sim/bin/byok-kms-sim.mjs', import.meta.url));
/** 1,000 throwaway RSA_2048 wrapping keys generated once, so the run is not RSA generation. */
const POOL = fileURLToPath(new URL('./fixtures/wrapping-key-pool-1000.json', import.meta.url));

let dir: string;
let sim: SimProcess;
let env: Record<string, string | undefined>;
let kms: KMSClient;
const requestLog = () => join(dir, 'requests.jsonl');

/** Sends again after an injected fault: the simulator decides faults before doing anything. */
async function faultFree<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (attempt >= 30) throw error;
      await new Promise((done) => setTimeout(done, 10));
    }
  }
}

/** The simulator's request log so far: it is read while the simulator writes it. */
async function loggedRequests() {
  return parseRequestLog(await readFile(requestLog(), 'utf8'));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'byok-scale-'));
  await writeFile(join(dir, 'aws-config'), '');
  sim = await startSimProcess(SIM_BIN, [
    '--faults',
    FAULTS,
    '--request-log',
    requestLog(),
    '--wrapping-key-pool-file',
    POOL,
  ]);
  env = {
    PATH: process.env['PATH'],
    AWS_ACCESS_KEY_ID: REHEARSAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: REHEARSAL_CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-config'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  // The test's own client sets up and checks; it rides out the same faults through faultFree.
  kms = new KMSClient({
    endpoint: sim.url,
    region: 'eu-west-2',
    credentials: REHEARSAL_CREDENTIALS,
    maxAttempts: 1,
  });
});

afterAll(() => {
  kms.destroy();
  sim.stop();
});

describe(`${KEYS} keys through prepare, wrap and import under --faults ${FAULTS}`, () => {
  it('all Enabled, each ImportKeyMaterial answered 200 exactly once, across a kill -9 and --resume', async () => {
    const created = await runBounded(
      Array.from({ length: KEYS }, (_, i) => i),
      16,
      async () => {
        const out = await faultFree(() =>
          kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'SYMMETRIC_DEFAULT' })),
        );
        return out.KeyMetadata!.Arn!;
      },
    );
    const arns = created.map((c) => (c.started ? c.value : ''));
    const online = join(dir, 'online');
    const offline = join(dir, 'offline');
    await mkdir(online);
    await mkdir(offline);
    const flags = ['--endpoint-url', sim.url, '--region', 'eu-west-2'];
    const ceremony = new CeremonyDriver({
      onlineDir: online,
      offlineDir: offline,
      online: (argv) => runChild(ONLINE_BIN, [...flags, ...argv], { cwd: online, env }),
      offline: (argv) => runChild(OFFLINE_BIN, argv, { cwd: offline, env }),
      succeeded: (r) => expect(r.code, r.stderr).toBe(0),
    });

    const prep = await ceremony.prepare('request.json', [
      ...keyIdFlags(arns),
      '--wrapping-key-spec',
      'RSA_2048',
    ]);
    const wrappedCode = await ceremony.wrap('request.json', prep.checkCode, 'wrapped.json');

    const importArgs = [...flags, ...importArgv('request.json', 'wrapped.json', wrappedCode)];
    const imported200 = async () =>
      (await loggedRequests()).filter(
        (r) => r.operation === 'ImportKeyMaterial' && r.status === 200,
      ).length;
    const before = await imported200();
    expect(before).toBe(0);

    // kill -9 once a third of the keys are in: no handler runs, the journal is all that is left.
    const child = spawn(process.execPath, [ONLINE_BIN, ...importArgs], {
      cwd: online,
      env,
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((done) =>
      child.on('close', (_code, signal) => done(signal)),
    );
    for (;;) {
      const done = await imported200();
      if (done >= KEYS / 3) break;
      if (child.exitCode !== null) throw new Error('import ended before it could be killed');
      await new Promise((wait) => setTimeout(wait, 25));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const atKill = await imported200();
    expect(atKill).toBeLessThan(KEYS);

    const plain = await runChild(ONLINE_BIN, importArgs, { cwd: online, env });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('Run the same import with --resume');

    const resumed = await runChild(ONLINE_BIN, [...importArgs, '--resume', '--json'], {
      cwd: online,
      env,
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    const result = JSON.parse(resumed.stdout) as { keys: { keyArn: string; keyState: string }[] };
    expect(result.keys.map((k) => k.keyArn)).toEqual(arns);

    // The simulator's own record: exactly one 200 ImportKeyMaterial per key, faults on the way.
    const log = await loggedRequests();
    const imports = log.filter((r) => r.operation === 'ImportKeyMaterial');
    const successes = new Map<string, number>();
    for (const r of imports)
      if (r.status === 200) successes.set(r.keyId!, (successes.get(r.keyId!) ?? 0) + 1);
    expect(successes.size).toBe(KEYS);
    expect(arns.filter((a) => successes.get(a) !== 1)).toEqual([]);
    for (const fault of ['throttle', 'internal', 'reset'])
      expect(imports.some((r) => r.fault === fault)).toBe(true);

    const states = await runBounded(arns, 16, async (arn) => {
      const out = await faultFree(() => kms.send(new DescribeKeyCommand({ KeyId: arn })));
      return out.KeyMetadata?.KeyState;
    });
    expect(states.map((s) => (s.started ? s.value : undefined))).toEqual(arns.map(() => 'Enabled'));

    const entries = (await readFile(join(online, 'byok-online-audit.jsonl'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    const last = entries.at(-1)!;
    expect(last).toMatchObject({ command: 'import', outcome: 'ok' });
    expect(last.inputs['resumedJournal']).toMatch(/^[0-9a-f]{64}$/);
    expect(last.keys.map((k) => k.keyArn)).toEqual(arns);
    process.stderr.write(
      `scale test: ${KEYS} keys; ${atKill} imported before kill -9; ${imports.length} ImportKeyMaterial requests (${imports.filter((r) => r.fault !== undefined).length} faulted)\n`,
    );
  });
});
