// byok-offline wrap of K keys against two baselines in the same run, every command started by
// `bash -c` in the same environment (the bench's cliEnv: PATH, HOME and the rehearsal
// credentials, nothing Node reads at start such as NODE_EXTRA_CA_CERTS):
//   seed:   the seed's own commands per key from a shell loop, step 3 `openssl rand -out
//           PlaintextKeyMaterial.bin 32` and step 7 `openssl pkeyutl -encrypt ... oaep ...
//           sha256`, on the DER public keys (step 6's output, written before the timing);
//   floor:  bench/lib/wrap-floor.mjs, a minimal node:crypto process: reads the request, imports
//           each public key, encrypts 32 random bytes, writes one file;
//   byok:   one `byok-offline wrap` for all K keys (generated material, --no-backup, two
//           check-code confirmations, the self-test, proofs and KCVs, the audit log entry);
// and `node -e 0`, the start of Node itself, for the 1-key wrap.
// The import requests are made before the timing: K EXTERNAL SYMMETRIC_DEFAULT keys in an
// in-process byok-kms-sim whose RSA_2048 wrapping keys come from the test fixture pool, then
// `byok-online prepare`.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { keyIdFlags, opensslWrapArgv, prepareArgv, wrapArgv } from '../test/ceremony/driver.mjs';
import {
  BIN,
  cliEnv,
  createExternalKeys,
  exec,
  importKmsSim,
  median,
  POOL,
  root,
  simKmsClient,
} from './lib/setup.mjs';

const FLOOR = join(root, 'bench/lib/wrap-floor.mjs');

export const name = 'wrap-vs-openssl';

/**
 * CPU time (user + system, ms) of this process's waited-for children, from /proc/self/stat
 * (cutime, cstime; USER_HZ is 100 on Linux): a second measure, less sensitive than wall time
 * to the other jobs on a shared machine.
 */
async function childCpuMs() {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Wall and children's CPU ms of `work`. */
async function measured(work) {
  const cpu = await childCpuMs();
  const started = performance.now();
  const result = await work();
  return { wall: performance.now() - started, cpu: (await childCpuMs()) - cpu, result };
}

/** A shell word: the paths here are ours, but quote them all the same. */
const sh = (word) => `'${String(word).replaceAll("'", `'\\''`)}'`;

/**
 * Runs `script` with bash in `cwd` under `env`, timed: every command of a comparison starts
 * from the same shell in the same environment, as an operator's terminal would run it. The
 * children's CPU time counts bash and everything it waited for.
 */
const inShell = (script, cwd, env) =>
  measured(() => exec('bash', ['-c', script], { cwd, env, maxBuffer: 64 * 1024 * 1024 }));

/**
 * The seed's own commands for K keys, from a shell loop: step 3 (`openssl rand -out
 * PlaintextKeyMaterial.bin 32`) and step 7 (`openssl pkeyutl ... -encrypt ... oaep ... sha256`)
 * per key, on the DER public keys step 6 wrote (written here before the timing).
 */
async function seedLoop(dir, publicKeys, env) {
  await mkdir(dir);
  for (let i = 0; i < publicKeys.length; i++)
    await writeFile(join(dir, `PublicKey-${i}.bin`), Buffer.from(publicKeys[i], 'base64'));
  const pkeyutl = opensslWrapArgv(
    'PlaintextKeyMaterial-$i.bin',
    'EncryptedKeyMaterial-$i.bin',
    'PublicKey-$i.bin',
  ).join(' ');
  const script =
    `for ((i = 0; i < ${publicKeys.length}; i++)); do ` +
    `openssl rand -out PlaintextKeyMaterial-$i.bin 32 && openssl ${pkeyutl} || exit 1; done`;
  const timed = await inShell(script, dir, env);
  await rm(dir, { recursive: true, force: true });
  return timed;
}

/** One `byok-offline wrap` of the whole request, from the shell, in a fresh folder (its own audit log). */
async function byokWrap(dir, request, checkCode, env) {
  await mkdir(dir);
  const argv = [process.execPath, BIN.offline, ...wrapArgv(request, checkCode, 'wrapped.json')];
  const timed = await inShell(`${argv.map(sh).join(' ')} --json`, dir, env);
  if (JSON.parse(timed.result.stdout).targets.length === 0)
    throw new Error('wrap wrote no targets');
  return timed;
}

/** The minimal node:crypto process (bench/lib/wrap-floor.mjs) on the same request, from the shell. */
async function floorWrap(dir, request, env) {
  await mkdir(dir);
  return inShell(
    `${[process.execPath, FLOOR, request, 'wrapped.json'].map(sh).join(' ')}`,
    dir,
    env,
  );
}

/** `node -e 0`, from the shell: the start of Node itself. */
const nodeStart = (cwd, env) => inShell(`${sh(process.execPath)} -e 0`, cwd, env);

export async function run({ log, quick }) {
  const { startKmsSim, REHEARSAL_CREDENTIALS } = await importKmsSim();
  const sizes = quick ? [1, 10, 100] : [1, 100, 1000];
  const sim = await startKmsSim({ wrappingKeyPoolFile: POOL });
  const dir = await mkdtemp(join(tmpdir(), 'byok-bench-wrap-'));
  const kms = await simKmsClient(sim);
  try {
    const env = await cliEnv(dir, REHEARSAL_CREDENTIALS);
    const rows = [];
    for (const keys of [...sizes].sort((a, b) => b - a)) {
      // Outside the timing: the keys, their import parameters, the request file.
      const arns = await createExternalKeys(kms, keys);
      const request = join(dir, `request-${keys}.json`);
      const prepared = await exec(
        process.execPath,
        [
          BIN.online,
          '--endpoint-url',
          sim.url,
          '--region',
          sim.region,
          ...prepareArgv(request, [...keyIdFlags(arns), '--wrapping-key-spec', 'RSA_2048']),
          '--json',
        ],
        { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 },
      );
      const { checkCode } = JSON.parse(prepared.stdout);
      const publicKeys = JSON.parse(await readFile(request, 'utf8')).targets.map(
        (t) => t.publicKey,
      );

      const runs = keys >= 1000 ? 3 : 5;
      const samples = [];
      // In rounds, every command once per round: each ratio compares runs under the same load
      // on this shared machine, and the row reports the median of each side and of the ratios.
      // The seed's loop at 1,000 keys (2,000 openssl processes) runs in the first round only.
      for (let r = 0; r < runs; r++) {
        const base = join(dir, `${keys}-${r}`);
        const byok = await byokWrap(`${base}-byok`, request, checkCode, env);
        const floor = await floorWrap(`${base}-floor`, request, env);
        const node = await nodeStart(dir, env);
        const seed =
          keys < 1000 || r === 0 ? await seedLoop(`${base}-seed`, publicKeys, env) : undefined;
        samples.push({ byok, floor, node, seed });
      }
      const m = (pick) => median(samples.map(pick).filter((v) => v !== undefined));
      rows.push({
        keys,
        runs,
        seedWall: m((s) => s.seed?.wall),
        byokWall: m((s) => s.byok.wall),
        seedPerByokWall: m((s) => (s.seed === undefined ? undefined : s.seed.wall / s.byok.wall)),
        seedPerByokCpu: m((s) =>
          s.seed === undefined ? undefined : s.seed.cpu / Math.max(s.byok.cpu, 10),
        ),
        byokCpu: m((s) => s.byok.cpu),
        floorCpu: m((s) => s.floor.cpu),
        byokPerFloorCpu: m((s) => s.byok.cpu / Math.max(s.floor.cpu, 10)),
        nodeCpu: m((s) => s.node.cpu),
        byokPerNodeCpu: m((s) => s.byok.cpu / Math.max(s.node.cpu, 10)),
      });
    }
    rows.sort((a, b) => a.keys - b.keys);
    log(
      '| keys | rounds | seed loop, wall ms | byok wrap, wall ms | seed / byok, wall | seed / byok, CPU | byok CPU ms | floor CPU ms | byok / floor, CPU | node -e 0 CPU ms | byok / node -e 0, CPU |',
    );
    log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows)
      log(
        `| ${r.keys} | ${r.runs} | ${r.seedWall.toFixed(0)} | ${r.byokWall.toFixed(0)} | ${r.seedPerByokWall.toFixed(2)}× | ${r.seedPerByokCpu.toFixed(2)}× | ${r.byokCpu.toFixed(0)} | ${r.floorCpu.toFixed(0)} | ${r.byokPerFloorCpu.toFixed(2)}× | ${r.nodeCpu.toFixed(0)} | ${r.byokPerNodeCpu.toFixed(2)}× |`,
      );
    const one = rows[0];
    for (const r of rows.slice(1))
      log(
        `per key beyond the ${one.keys}-key run, at ${r.keys} keys, CPU: byok ${(((r.byokCpu - one.byokCpu) / (r.keys - one.keys)) * 1000).toFixed(0)} µs, floor ${(((r.floorCpu - one.floorCpu) / (r.keys - one.keys)) * 1000).toFixed(0)} µs; the seed's loop ${((r.seedWall / r.keys) * 1000).toFixed(0)} µs a key, wall`,
      );
    log(
      "(Every command from `bash -c` in the same environment. seed loop: the seed's steps 3 and 7, `openssl rand` and `openssl pkeyutl`, per key. floor: bench/lib/wrap-floor.mjs, a node:crypto process that reads the request, imports each key, encrypts and writes. CPU: the children's user + system time, bash included. Each ratio is the median of the per-round ratios. Targets: seed / byok ≥ 10× at 100 keys; byok / floor ≤ 1.5× at 1,000 keys; byok / node -e 0 ≤ 2× at 1 key.)",
    );
  } finally {
    kms.destroy();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
