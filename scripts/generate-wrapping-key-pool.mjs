#!/usr/bin/env node
// Writes packages/kms-sim/test/fixtures/wrapping-key-pool.json: throwaway RSA wrapping key pairs
// that tests hand to byok-kms-sim (--wrapping-key-pool-file) and to their own request fixtures,
// so the suite does not spend its time generating RSA keys. The keys are public: tests only.
// Run: node scripts/generate-wrapping-key-pool.mjs [RSA_2048=N RSA_3072=N RSA_4096=N] [--out FILE]
import { generateKeyPair } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let target = join(root, 'packages', 'kms-sim', 'test', 'fixtures', 'wrapping-key-pool.json');
const counts = { RSA_2048: 64, RSA_3072: 32, RSA_4096: 64 };
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
if (outAt !== -1) {
  if (args[outAt + 1] === undefined) {
    console.error('generate-wrapping-key-pool: error: --out needs a FILE');
    process.exit(2);
  }
  target = args[outAt + 1];
  args.splice(outAt, 2);
  // Counts given with --out replace the defaults.
  for (const spec of Object.keys(counts)) counts[spec] = 0;
}
for (const arg of args) {
  const match = /^(RSA_2048|RSA_3072|RSA_4096)=(\d+)$/.exec(arg);
  if (match === null) {
    console.error(`generate-wrapping-key-pool: error: '${arg}' is not SPEC=COUNT`);
    process.exit(2);
  }
  counts[match[1]] = Number(match[2]);
}

const generate = promisify(generateKeyPair);
const jobs = Object.entries(counts).flatMap(([spec, count]) =>
  Array.from({ length: count }, () => spec),
);
const keys = new Array(jobs.length);
let next = 0;
async function worker() {
  while (next < jobs.length) {
    const index = next++;
    const spec = jobs[index];
    const { privateKey } = await generate('rsa', {
      modulusLength: Number(spec.slice(4)),
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    });
    keys[index] = { spec, privateKeyPkcs8: privateKey.toString('base64') };
  }
}
await Promise.all(Array.from({ length: availableParallelism() }, worker));
const pool = {
  format: 'byok-kms-sim-wrapping-key-pool/1',
  note: 'Throwaway RSA wrapping keys for tests only. They are public: never use them for anything else.',
  keys,
};
writeFileSync(target, `${JSON.stringify(pool, null, 1)}\n`);
console.log(
  `wrote ${target} (${Object.entries(counts)
    .map(([spec, count]) => `${count} ${spec}`)
    .join(', ')})`,
);
