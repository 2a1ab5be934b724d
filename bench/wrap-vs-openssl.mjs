// byok-offline wrap of K keys against the seed's OpenSSL step per key, in the same run.
//   baseline: the seed's step 7, `openssl pkeyutl -encrypt ... rsa_oaep_md:sha256`, one child
//             process per key (K times), on files written before the timing; beside it, the
//             seed's three per-key openssl calls around the wrap (`openssl rand` of the material,
//             `openssl enc -d -base64` of the public key, then `pkeyutl`).
//   byok:     one `byok-offline wrap` child process for all K keys (generated material,
//             --no-backup, two check-code confirmations, proofs, the audit log entry).
// The import requests are made before the timing: K EXTERNAL SYMMETRIC_DEFAULT keys in an
// in-process byok-kms-sim whose RSA_2048 wrapping keys come from the test fixture pool, then
// `byok-online prepare`. The byok figure is the median of a few runs (fewer at 1,000 keys).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { keyIdFlags, opensslWrapArgv, prepareArgv, wrapArgv } from '../test/ceremony/driver.mjs';
import { BIN, cliEnv, createExternalKeys, exec, importKmsSim, median, POOL } from './lib/setup.mjs';

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

/** K runs of the seed's `openssl pkeyutl` (and optionally its rand and base64 decode) per key. */
async function opensslPerKey(dir, publicKeys, withSeedCalls) {
  const files = [];
  for (let i = 0; i < publicKeys.length; i++) {
    const spki = Buffer.from(publicKeys[i], 'base64');
    const f = {
      b64: join(dir, `PublicKey-${i}.b64`),
      der: join(dir, `PublicKey-${i}.bin`),
      plain: join(dir, `PlaintextKeyMaterial-${i}.bin`),
      out: join(dir, `EncryptedKeyMaterial-${i}.bin`),
    };
    await writeFile(f.b64, `${publicKeys[i]}\n`);
    await writeFile(f.der, spki);
    await writeFile(f.plain, randomBytes(32), { mode: 0o600 });
    files.push(f);
  }
  const { wall, cpu } = await measured(async () => {
    for (const f of files) {
      if (withSeedCalls) {
        await exec('openssl', ['rand', '-out', f.plain, '32']);
        await exec('openssl', ['enc', '-d', '-base64', '-A', '-in', f.b64, '-out', f.der]);
      }
      await exec('openssl', opensslWrapArgv(f.plain, f.out, f.der));
    }
  });
  return { wall, cpu };
}

/** One `byok-offline wrap` of the whole request, in a fresh folder (its own audit log). */
async function byokWrap(dir, request, checkCode, env) {
  await mkdir(dir);
  const { wall, cpu, result } = await measured(() =>
    exec(
      process.execPath,
      [BIN.offline, ...wrapArgv(request, checkCode, 'wrapped.json'), '--json'],
      { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 },
    ),
  );
  if (JSON.parse(result.stdout).targets.length === 0) throw new Error('wrap wrote no targets');
  return { wall, cpu };
}

export async function run({ log, quick }) {
  const { KMSClient } = await import('@aws-sdk/client-kms');
  const { startKmsSim, REHEARSAL_CREDENTIALS } = await importKmsSim();
  const sizes = quick ? [1, 10, 100] : [1, 100, 1000];
  const sim = await startKmsSim({ wrappingKeyPoolFile: POOL });
  const dir = await mkdtemp(join(tmpdir(), 'byok-bench-wrap-'));
  const kms = new KMSClient({
    endpoint: sim.url,
    region: sim.region,
    credentials: REHEARSAL_CREDENTIALS,
  });
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
      const byokMs = [];
      const baseMs = [];
      const ratios = [];
      const cpuRatios = [];
      let seed;
      // In pairs, byok then openssl: each ratio compares two runs under the same load on this
      // shared machine, and the row reports the median of each side and of the pair ratios.
      for (let r = 0; r < runs; r++) {
        const byok = await byokWrap(join(dir, `wrap-${keys}-${r}`), request, checkCode, env);
        const odir = join(dir, `openssl-${keys}-${r}`);
        await mkdir(odir);
        const base = await opensslPerKey(odir, publicKeys, false);
        if (r === 0) seed = { ...(await opensslPerKey(odir, publicKeys, true)), byok };
        await rm(odir, { recursive: true, force: true });
        byokMs.push(byok.wall);
        baseMs.push(base.wall);
        ratios.push(base.wall / byok.wall);
        cpuRatios.push(base.cpu / Math.max(byok.cpu, 10));
      }
      rows.push({
        keys,
        runs,
        byok: median(byokMs),
        base: median(baseMs),
        ratio: median(ratios),
        cpuRatio: median(cpuRatios),
        seed: seed.wall,
        seedRatio: seed.wall / seed.byok.wall,
      });
    }
    rows.sort((a, b) => a.keys - b.keys);
    log(
      '| keys | runs | openssl pkeyutl per key, ms | byok-offline wrap, ms | pkeyutl / byok | same, CPU time | seed openssl calls per key, ms (1 run) | seed calls / byok |',
    );
    log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows)
      log(
        `| ${r.keys} | ${r.runs} | ${r.base.toFixed(0)} | ${r.byok.toFixed(0)} | ${r.ratio.toFixed(2)}× | ${r.cpuRatio.toFixed(2)}× | ${r.seed.toFixed(0)} | ${r.seedRatio.toFixed(2)}× |`,
      );
    const one = rows[0];
    for (const r of rows.slice(1))
      log(
        `byok per key beyond the ${one.keys}-key run, at ${r.keys} keys: ${(((r.byok - one.byok) / (r.keys - one.keys)) * 1000).toFixed(0)} µs; pkeyutl: ${((r.base / r.keys) * 1000).toFixed(0)} µs a key`,
      );
    log(
      "(ms for all K keys, wall time; byok is one process for the batch. pkeyutl / byok is the median of the paired runs, in wall time (the target) and in the children's CPU time (user + system). Targets: ≥ 5× at 100 keys, ≥ 20× at 1,000.)",
    );
  } finally {
    kms.destroy();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
