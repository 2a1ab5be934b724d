// Start-up of each CLI's --help as a ratio to `node -e 0`, measured in the same run (median of
// several runs each, child processes, warm file cache).
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const name = 'startup';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const exec = promisify(execFile);
const CASES = [
  ['node -e 0 (baseline)', ['-e', '0']],
  ['byok-offline --help', [join(root, 'packages/offline/bin/byok-offline.mjs'), '--help']],
  ['byok-online --help', [join(root, 'packages/online/bin/byok-online.mjs'), '--help']],
  ['byok-kms-sim --help', [join(root, 'packages/kms-sim/bin/byok-kms-sim.mjs'), '--help']],
];

async function median(args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await exec(process.execPath, args);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function run({ log, quick }) {
  const runs = quick ? 3 : 9;
  const results = [];
  for (const [label, args] of CASES) results.push([label, await median(args, runs)]);
  const base = results[0][1];
  log('| command | median ms | ratio to node -e 0 |');
  log('| --- | ---: | ---: |');
  for (const [label, ms] of results)
    log(`| ${label} | ${ms.toFixed(0)} | ${(ms / base).toFixed(2)} |`);
}
