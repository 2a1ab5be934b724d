// One batch of K SYMMETRIC_DEFAULT keys (RSA_2048 wrapping keys from the test fixture pool)
// through byok-online prepare, byok-offline wrap and byok-online import, child processes against
// a byok-kms-sim child process, without faults and with --faults throttle=0.2,internal=0.05,
// reset=0.05. Creating the keys is outside the timing. Reports keys/s of the three commands.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BIN, cliEnv, createExternalKeys, exec, importKmsSim, POOL } from './lib/setup.mjs';

export const name = 'batch-1000';

const OPS = ['--operator', 'ALICE', '--operator', 'BOB'];

async function startSim(faults) {
  const args = [BIN.kmsSim, '--port', '0', '--wrapping-key-pool-file', POOL];
  if (faults !== undefined) args.push('--faults', faults);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((done, fail) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(out);
      if (found !== null) done(found[1]);
    });
    child.on('exit', (code) => fail(new Error(`byok-kms-sim exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function batch(keys, faults) {
  const { KMSClient } = await import('@aws-sdk/client-kms');
  const { REHEARSAL_CREDENTIALS } = await importKmsSim();
  const sim = await startSim(faults);
  const dir = await mkdtemp(join(tmpdir(), 'byok-bench-batch-'));
  try {
    const env = await cliEnv(dir, REHEARSAL_CREDENTIALS);
    const kms = new KMSClient({
      endpoint: sim.url,
      region: 'eu-west-2',
      credentials: REHEARSAL_CREDENTIALS,
      maxAttempts: 1,
    });
    // With --faults the simulator refuses some calls: each key is tried up to 30 times.
    const arns = await createExternalKeys(kms, keys, { lanes: 16, attempts: 30 });
    kms.destroy();
    const online = join(dir, 'online');
    await mkdir(online);
    const flags = ['--endpoint-url', sim.url, '--region', 'eu-west-2'];
    const opts = { cwd: online, env, maxBuffer: 64 * 1024 * 1024 };
    const started = performance.now();
    const prep = await exec(
      process.execPath,
      [
        BIN.online,
        ...flags,
        'prepare',
        ...arns.flatMap((a) => ['--key-id', a]),
        '--wrapping-key-spec',
        'RSA_2048',
        '--out',
        'request.json',
        ...OPS,
        '--json',
      ],
      opts,
    );
    const prepared = performance.now();
    const requestCode = JSON.parse(prep.stdout).checkCode;
    const wrap = await exec(
      process.execPath,
      [
        BIN.offline,
        'wrap',
        '--request',
        'request.json',
        '--out',
        'wrapped.json',
        '--operator',
        'CAROL',
        '--operator',
        'DAVE',
        '--check-code',
        requestCode,
        '--check-code',
        requestCode,
        '--no-backup',
        '--json',
      ],
      opts,
    );
    const wrapped = performance.now();
    const code = JSON.parse(wrap.stdout).checkCode;
    await exec(
      process.execPath,
      [
        BIN.online,
        ...flags,
        'import',
        '--request',
        'request.json',
        '--wrapped',
        'wrapped.json',
        ...OPS,
        '--check-code',
        code,
        '--check-code',
        code,
        '--json',
      ],
      opts,
    );
    const done = performance.now();
    return {
      prepareMs: prepared - started,
      wrapMs: wrapped - prepared,
      importMs: done - wrapped,
      totalMs: done - started,
    };
  } finally {
    sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run({ log, quick }) {
  const keys = quick ? 200 : 1000;
  log(`| ${keys} keys | prepare s | wrap s | import s | total s | keys/s |`);
  log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [label, faults] of [
    ['no faults', undefined],
    ['throttle=0.2,internal=0.05,reset=0.05', 'throttle=0.2,internal=0.05,reset=0.05'],
  ]) {
    const r = await batch(keys, faults);
    const s = (ms) => (ms / 1000).toFixed(1);
    log(
      `| ${label} | ${s(r.prepareMs)} | ${s(r.wrapMs)} | ${s(r.importMs)} | ${s(r.totalMs)} | ${(keys / (r.totalMs / 1000)).toFixed(1)} |`,
    );
  }
}
