// 10,000 keys in one ceremony: N SYMMETRIC_DEFAULT keys (RSA_2048 wrapping keys from the fixture
// pool) through byok-online prepare, byok-offline wrap and byok-online import, each CLI a child
// process under /usr/bin/time against a byok-kms-sim child process, for N = 1,000 and 10,000.
// Creating the keys, checking them Enabled and verifying both logs are outside the timings.
// Reports each CLI's peak RSS, CPU and wall ms per key, and per-key(10,000) / per-key(1,000),
// against the targets (RSS at most 256 MiB, ratio at most 1.2); then the simulator's CPU per
// request while it holds 1,000 and 10,000 keys. Ratios within one run only: the machine is shared.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  importArgv,
  keyIdFlags,
  OFFLINE_OPERATORS,
  prepareArgv,
  startSimProcess,
  wrapArgv,
} from '../test/ceremony/driver.mjs';
import { BIN, cliEnv, createExternalKeys, importKmsSim, POOL, simKmsClient } from './lib/setup.mjs';

export const name = 'scale';

const RSS_TARGET_MIB = 256;
const RATIO_TARGET = 1.2;
const SIM_PROBE_CALLS = 2000;

/** Runs `argv` under /usr/bin/time: stdout, peak RSS (MiB), CPU ms (user + system), wall ms. */
function timed(argv, opts) {
  return new Promise((done, fail) => {
    const marker = '@@byok-time@@';
    execFile(
      '/usr/bin/time',
      ['-f', `${marker} %M %U %S %e`, process.execPath, ...argv],
      { ...opts, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          fail(new Error(`${argv.slice(0, 2).join(' ')} failed: ${stderr.slice(-4000)}`));
          return;
        }
        const line = stderr.split('\n').find((l) => l.startsWith(marker));
        const [, rssKiB, user, sys, wall] = line.split(' ');
        done({
          stdout,
          rssMiB: Number(rssKiB) / 1024,
          cpuMs: (Number(user) + Number(sys)) * 1000,
          wallMs: Number(wall) * 1000,
        });
      },
    );
  });
}

/** CPU ms (user + system) a process has used so far, from /proc. */
async function cpuMsOf(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 (1-based), in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The simulator's CPU per DescribeKey, `lanes` in flight, over keys it holds. */
async function simCpuPerRequest(kms, sim, arns) {
  const { DescribeKeyCommand } = await import('@aws-sdk/client-kms');
  const before = await cpuMsOf(sim.child.pid);
  let next = 0;
  const lane = async () => {
    while (next < SIM_PROBE_CALLS) {
      const i = next++;
      await kms.send(new DescribeKeyCommand({ KeyId: arns[(i * 7919) % arns.length] }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return ((await cpuMsOf(sim.child.pid)) - before) / SIM_PROBE_CALLS;
}

/** Every key Enabled, by DescribeKey, 16 at a time. */
async function assertAllEnabled(kms, arns) {
  const { DescribeKeyCommand } = await import('@aws-sdk/client-kms');
  let next = 0;
  const bad = [];
  const lane = async () => {
    while (next < arns.length) {
      const arn = arns[next++];
      const out = await kms.send(new DescribeKeyCommand({ KeyId: arn }));
      if (out.KeyMetadata.KeyState !== 'Enabled') bad.push(`${arn}: ${out.KeyMetadata.KeyState}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  if (bad.length > 0)
    throw new Error(`${bad.length} key(s) not Enabled: ${bad.slice(0, 3).join('; ')}`);
}

async function ceremony(keys) {
  const { REHEARSAL_CREDENTIALS } = await importKmsSim();
  // The pool's 1,000 pairs served in turn: RSA generation in the simulator is not measured.
  const sim = await startSimProcess(BIN.kmsSim, [
    '--wrapping-key-pool-file',
    POOL,
    '--wrapping-key-pool-file-reuse',
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'byok-bench-scale-'));
  try {
    const env = await cliEnv(dir, REHEARSAL_CREDENTIALS);
    const kms = await simKmsClient(sim, { maxAttempts: 1 });
    const arns = await createExternalKeys(kms, keys, { lanes: 16 });
    const simCpuPerRequestMs = await simCpuPerRequest(kms, sim, arns);
    // One folder for both machines, so nothing is carried inside the timings. The key ARNs go
    // in a plan-free argv: --key-id per key, as an operator's script would give them.
    const opts = { cwd: dir, env };
    const online = (argv) =>
      timed([BIN.online, '--endpoint-url', sim.url, '--region', 'eu-west-2', ...argv], opts);
    const prepare = await online([
      ...prepareArgv('request.json', [...keyIdFlags(arns), '--wrapping-key-spec', 'RSA_2048']),
      '--json',
    ]);
    const requestCode = JSON.parse(prepare.stdout).checkCode;
    const wrap = await timed(
      [
        BIN.offline,
        ...wrapArgv(
          'request.json',
          requestCode,
          'wrapped.json',
          ['--no-backup'],
          OFFLINE_OPERATORS,
        ),
        '--json',
      ],
      opts,
    );
    const wrappedCode = JSON.parse(wrap.stdout).checkCode;
    const imported = await online([
      ...importArgv('request.json', 'wrapped.json', wrappedCode),
      '--json',
    ]);
    // Checked after the timings, and reported with them rather than instead of them.
    const problems = [];
    await assertAllEnabled(kms, arns).catch((e) => problems.push(e.message));
    // Each log anchored at its head as read off the machine that keeps it (`audit head`).
    const headCode = async (bin, log) =>
      JSON.parse((await timed([bin, 'audit', 'head', log, '--json'], opts)).stdout).logs[0]
        .headCode;
    const anchors = [
      ...['--expect-head', await headCode(BIN.online, 'byok-online-audit.jsonl')],
      ...['--expect-head', await headCode(BIN.offline, 'byok-offline-audit.jsonl')],
    ];
    for (const [bin, logs] of [
      [BIN.online, ['byok-online-audit.jsonl', 'byok-offline-audit.jsonl']],
      [BIN.offline, ['byok-offline-audit.jsonl', 'byok-online-audit.jsonl']],
    ]) {
      const verified = await timed([bin, 'audit', 'verify', ...logs, ...anchors], opts).catch(
        (e) => ({ stdout: e.message }),
      );
      if (!/^VERIFIED\b/m.test(verified.stdout))
        problems.push(`audit verify: ${verified.stdout.slice(0, 2000)}`);
    }
    kms.destroy();
    return { prepare, wrap, import: imported, simCpuPerRequestMs, problems };
  } finally {
    sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run({ log, quick }) {
  const [small, large] = quick ? [100, 1000] : [1000, 10000];
  const runs = {};
  for (const keys of [small, large]) {
    runs[keys] = await ceremony(keys);
    const r = runs[keys];
    log(
      `${keys} keys: ${['prepare', 'wrap', 'import'].map((c) => `${c} ${r[c].rssMiB.toFixed(0)} MiB, ${r[c].cpuMs.toFixed(0)} ms CPU, ${r[c].wallMs.toFixed(0)} ms wall`).join('; ')}; ${r.problems.length === 0 ? 'all Enabled, both logs VERIFIED' : `PROBLEMS: ${r.problems.join(' | ')}`}`,
    );
  }
  const f = (n, digits = 1) => n.toFixed(digits);
  const problems = [small, large].flatMap((k) => runs[k].problems);
  log(
    `| CLI | peak RSS ${small} MiB | peak RSS ${large} MiB | CPU ms/key ${small} | CPU ms/key ${large} | CPU ratio | wall ms/key ${small} | wall ms/key ${large} | wall ratio | RSS <= ${RSS_TARGET_MIB} | ratio <= ${RATIO_TARGET} |`,
  );
  log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const cli of ['prepare', 'wrap', 'import']) {
    const a = runs[small][cli];
    const b = runs[large][cli];
    const cpu = [a.cpuMs / small, b.cpuMs / large];
    const wall = [a.wallMs / small, b.wallMs / large];
    const cpuRatio = cpu[1] / cpu[0];
    const wallRatio = wall[1] / wall[0];
    const rssMet = Math.max(a.rssMiB, b.rssMiB) <= RSS_TARGET_MIB;
    const ratioMet = cpuRatio <= RATIO_TARGET && wallRatio <= RATIO_TARGET;
    log(
      `| ${cli} | ${f(a.rssMiB, 0)} | ${f(b.rssMiB, 0)} | ${f(cpu[0], 2)} | ${f(cpu[1], 2)} | ${f(cpuRatio, 2)} | ${f(wall[0], 2)} | ${f(wall[1], 2)} | ${f(wallRatio, 2)} | ${rssMet ? 'met' : 'NOT met'} | ${ratioMet ? 'met' : 'NOT met'} |`,
    );
  }
  const sim = [runs[small].simCpuPerRequestMs, runs[large].simCpuPerRequestMs];
  log(
    `byok-kms-sim CPU per DescribeKey (${SIM_PROBE_CALLS} calls): ${f(sim[0], 3)} ms holding ${small} keys, ${f(sim[1], 3)} ms holding ${large}: ratio ${f(sim[1] / sim[0], 2)} (target <= ${RATIO_TARGET}: ${sim[1] / sim[0] <= RATIO_TARGET ? 'met' : 'NOT met'})`,
  );
  if (problems.length > 0)
    throw new Error(`not every key Enabled or a log not VERIFIED: ${problems.join(' | ')}`);
  log(
    `All ${small} and ${large} keys Enabled; audit verify of both logs VERIFIED on both machines.`,
  );
}
