// One batch of K SYMMETRIC_DEFAULT keys (RSA_2048 wrapping keys from the test fixture pool)
// through byok-online prepare, byok-offline wrap and byok-online import, child processes against
// a byok-kms-sim child process, without faults and with --faults throttle=0.2,internal=0.05,
// reset=0.05. Creating the keys is outside the timing. Reports keys/s of the three commands.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CeremonyDriver, keyIdFlags, startSimProcess } from '../test/ceremony/driver.mjs';
import {
  BIN,
  cliEnv,
  createExternalKeys,
  exec,
  importKmsSim,
  POOL,
  simKmsClient,
} from './lib/setup.mjs';

export const name = 'batch-1000';

async function batch(keys, faults) {
  const { REHEARSAL_CREDENTIALS } = await importKmsSim();
  const faultFlags = faults === undefined ? [] : ['--faults', faults];
  const sim = await startSimProcess(BIN.kmsSim, ['--wrapping-key-pool-file', POOL, ...faultFlags]);
  const dir = await mkdtemp(join(tmpdir(), 'byok-bench-batch-'));
  try {
    const env = await cliEnv(dir, REHEARSAL_CREDENTIALS);
    const kms = await simKmsClient(sim, { maxAttempts: 1 });
    // With --faults the simulator refuses some calls: each key is tried up to 30 times.
    const arns = await createExternalKeys(kms, keys, { lanes: 16, attempts: 30 });
    kms.destroy();
    const online = join(dir, 'online');
    await mkdir(online);
    // One folder for both machines: nothing is carried inside the timings.
    const opts = { cwd: online, env, maxBuffer: 64 * 1024 * 1024 };
    const runner = (bin, flags) => async (argv) => ({
      code: 0,
      ...(await exec(process.execPath, [bin, ...flags, ...argv], opts)),
    });
    const ceremony = new CeremonyDriver({
      onlineDir: online,
      offlineDir: online,
      online: runner(BIN.online, ['--endpoint-url', sim.url, '--region', 'eu-west-2']),
      offline: runner(BIN.offline, []),
    });
    const started = performance.now();
    const prep = await ceremony.prepare('request.json', [
      ...keyIdFlags(arns),
      '--wrapping-key-spec',
      'RSA_2048',
    ]);
    const prepared = performance.now();
    const code = await ceremony.wrap('request.json', prep.checkCode, 'wrapped.json');
    const wrapped = performance.now();
    await ceremony.import('request.json', 'wrapped.json', code);
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
