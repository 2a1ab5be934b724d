// Start-up of each CLI's --help, and a 1-key `byok-offline wrap`, as ratios to `node -e 0` in the
// same run: child processes through the committed bins (as `npx --no-install` runs them), warm
// file cache, in rounds that run every case once (so that load on the machine falls on all of
// them alike), the median of each. The wrap's request comes from byok-online prepare against an
// in-process byok-kms-sim, made before any timing; each wrap writes a new output file.
// Two environments: this process's, and PATH alone. Settings such as NODE_EXTRA_CA_CERTS (read
// at every Node start) add the same milliseconds to each command and to the baseline alike.
// Besides wall time, each child's own CPU time (user + system, from a preloaded exit hook that
// every case gets alike), which other load on the machine changes far less.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { prepareArgv } from '../test/ceremony/driver.mjs';
import { BIN, cliEnv, exec, importKmsSim, median } from './lib/setup.mjs';

export const name = 'startup';

const OPERATORS = ['--operator', 'Alice', '--operator', 'Bob'];
/** Preloaded into every case: writes the process's CPU time (ms) to the file the env names. */
const CPU_HOOK = `process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  require('node:fs').writeFileSync(process.env.BYOK_BENCH_CPU_FILE, String((user + system) / 1000));
});
`;

/** A 1-key import request in a new folder, and the check code prepare printed for it. */
async function prepareOneKeyRequest() {
  const { startKmsSim, REHEARSAL_CREDENTIALS } = await importKmsSim();
  const sim = await startKmsSim({ wrappingKeyPool: false });
  const dir = await mkdtemp(join(tmpdir(), 'byok-bench-startup-'));
  const env = await cliEnv(dir, REHEARSAL_CREDENTIALS);
  const online = async (args) =>
    JSON.parse(
      (
        await exec(
          process.execPath,
          [BIN.online, ...args, '--endpoint-url', sim.url, '--region', sim.region, '--json'],
          { cwd: dir, env },
        )
      ).stdout,
    );
  try {
    const { arn } = await online(['create-key', ...OPERATORS]);
    const { checkCode } = await online(
      prepareArgv('request.json', ['--key-id', arn, '--wrapping-key-spec', 'RSA_2048'], OPERATORS),
    );
    return { dir, checkCode };
  } finally {
    await sim.close();
  }
}

export async function run({ log, quick }) {
  const rounds = quick ? 3 : 11;
  const { dir, checkCode } = await prepareOneKeyRequest();
  let wraps = 0;
  const cases = [
    ['node -e 0 (baseline)', () => ['-e', '0']],
    ['byok-offline --help', () => [BIN.offline, '--help']],
    ['byok-online --help', () => [BIN.online, '--help']],
    ['byok-kms-sim --help', () => [BIN.kmsSim, '--help']],
    [
      'byok-offline wrap, 1 key',
      () => [
        BIN.offline,
        'wrap',
        '--request',
        'request.json',
        '--out',
        `wrapped-${++wraps}.json`,
        ...OPERATORS,
        '--check-code',
        checkCode,
        '--check-code',
        checkCode,
        '--no-backup',
        '--json',
      ],
    ],
  ];
  const hook = join(dir, 'cpu-hook.cjs');
  const cpuFile = join(dir, 'cpu-ms');
  await writeFile(hook, CPU_HOOK);
  const envs = [
    ['this environment', { ...process.env, BYOK_BENCH_CPU_FILE: cpuFile }],
    ['PATH only', { PATH: process.env.PATH, BYOK_BENCH_CPU_FILE: cpuFile }],
  ];
  const wall = envs.map(() => cases.map(() => []));
  const cpu = envs.map(() => cases.map(() => []));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [e, [, env]] of envs.entries()) {
        for (const [i, [, argsOf]] of cases.entries()) {
          const args = ['--require', hook, ...argsOf()];
          const started = performance.now();
          await exec(process.execPath, args, { cwd: dir, env });
          wall[e][i].push(performance.now() - started);
          cpu[e][i].push(Number(await readFile(cpuFile, 'utf8')));
        }
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  log(`median of ${rounds} runs each; ratio to node -e 0 in the same environment`);
  for (const [e, [label]] of envs.entries()) {
    const w = wall[e].map(median);
    const c = cpu[e].map(median);
    log('');
    log(`| ${label} | wall ms | ratio | CPU ms | ratio |`);
    log('| --- | ---: | ---: | ---: | ---: |');
    for (const [i, [name]] of cases.entries())
      log(
        `| ${name} | ${w[i].toFixed(0)} | ${(w[i] / w[0]).toFixed(2)} | ${c[i].toFixed(0)} | ${(c[i] / c[0]).toFixed(2)} |`,
      );
  }
}
