// The whole import of K symmetric keys, two ways, against the same in-process byok-kms-sim:
//   baseline: the seed's procedure per key (aws CLI, awk, openssl), RSA_2048 as the seed uses;
//   byok:     byok-online prepare, byok-offline wrap, byok-online import for all K keys at once.
// Creating the keys is outside both timings. The seed's procedure is the same script for every
// key, so at most SEED_SAMPLE keys of a row run it and its ms per key is their mean, extrapolated
// to K; byok runs all K. Each row runs both sides in rounds (three, one with --quick), the
// seed then byok in each, and reports the medians and the median of the rounds' ratios. Both sides get their RSA_2048 wrapping keys from the test fixture pool
// (pre-generated), so neither waits for the simulator's RSA generation. Reports ms per key, the
// ratio, and the bytes that cross the air gap per key.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CeremonyDriver, keyIdFlags } from '../test/ceremony/driver.mjs';
import {
  BIN,
  cliEnv,
  createExternalKeys,
  exec,
  importKmsSim,
  median,
  POOL,
  simKmsClient,
} from './lib/setup.mjs';

export const name = 'ceremony-vs-seed';

const SEED_PER_KEY = (keyId, region) => `
set -euo pipefail
openssl rand -out PlaintextKeyMaterial.bin 32
export KEY=\`aws kms --region ${region} get-parameters-for-import --key-id ${keyId} --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_2048 --query '{Key:PublicKey,Token:ImportToken}' --output text\`
echo $KEY | awk '{print $1}' > PublicKey.b64
echo $KEY | awk '{print $2}' > ImportToken.b64
openssl enc -d -base64 -A -in PublicKey.b64 -out PublicKey.bin
openssl enc -d -base64 -A -in ImportToken.b64 -out ImportToken.bin
openssl pkeyutl -in PlaintextKeyMaterial.bin -out EncryptedKeyMaterial.bin -inkey PublicKey.bin -keyform DER -pubin -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256
aws kms --region ${region} import-key-material --key-id ${keyId} --encrypted-key-material fileb://EncryptedKeyMaterial.bin --import-token fileb://ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE
shred -u PlaintextKeyMaterial.bin
`;

export async function run({ log, quick }) {
  const { startKmsSim, REHEARSAL_CREDENTIALS } = await importKmsSim();
  const sim = await startKmsSim({ wrappingKeyPoolFile: POOL });
  const dir = await mkdtemp(join(tmpdir(), 'byok-bench-'));
  const env = await cliEnv(dir, REHEARSAL_CREDENTIALS, {
    AWS_DEFAULT_REGION: sim.region,
    AWS_ENDPOINT_URL: sim.url,
    AWS_PAGER: '',
  });
  const runner = (bin, flags) => async (argv) => ({
    code: 0,
    ...(await exec(process.execPath, [bin, ...flags, ...argv], {
      cwd: dir,
      env,
      maxBuffer: 1 << 24,
    })),
  });
  const ceremony = new CeremonyDriver({
    onlineDir: dir,
    offlineDir: dir,
    online: runner(BIN.online, ['--endpoint-url', sim.url, '--region', sim.region]),
    offline: runner(BIN.offline, []),
  });
  const kms = await simKmsClient(sim);
  // Outside both timings: EXTERNAL keys made directly with the SDK, eight at a time.
  const createKeys = (count) => createExternalKeys(kms, count);

  try {
    const sizes = quick ? [1, 10] : [1, 10, 100];
    const seedSample = quick ? 3 : 10;
    const rounds = quick ? 1 : 3;
    /** The seed's procedure for `sampled` fresh keys: ms and bytes across the gap per key. */
    const seedRun = async (sampled) => {
      const seedKeys = await createKeys(sampled);
      const started = performance.now();
      let seedBytes = 0;
      for (const arn of seedKeys) {
        // --endpoint-url is the only change to the seed's commands: it points them at the simulator.
        const script = SEED_PER_KEY(arn, sim.region).replaceAll(
          'aws kms ',
          `aws --endpoint-url ${sim.url} kms `,
        );
        await exec('bash', ['-c', script], { cwd: dir, env });
        seedBytes +=
          (await stat(join(dir, 'PublicKey.bin'))).size +
          (await stat(join(dir, 'ImportToken.bin'))).size;
        seedBytes += (await stat(join(dir, 'EncryptedKeyMaterial.bin'))).size;
      }
      // Per key, from the sampled keys: every key runs the same script.
      return {
        msPerKey: (performance.now() - started) / sampled,
        bytesPerKey: seedBytes / sampled,
      };
    };
    /** byok's three commands for `count` fresh keys: ms for all of them, bytes across the gap. */
    const byokRun = async (count, tag) => {
      const byokKeys = await createKeys(count);
      const started = performance.now();
      const prepared = await ceremony.prepare(`${tag}-request.json`, [
        ...keyIdFlags(byokKeys),
        '--wrapping-key-spec',
        'RSA_2048',
      ]);
      const code = await ceremony.wrap(
        `${tag}-request.json`,
        prepared.checkCode,
        `${tag}-wrapped.json`,
      );
      await ceremony.import(`${tag}-request.json`, `${tag}-wrapped.json`, code);
      const ms = performance.now() - started;
      const bytes =
        (await readFile(join(dir, `${tag}-request.json`))).length +
        (await readFile(join(dir, `${tag}-wrapped.json`))).length;
      return { ms, bytes };
    };
    const rows = [];
    for (const count of sizes) {
      const sampled = Math.min(count, seedSample);
      // In rounds, each side once per round, so that each ratio compares two runs made under
      // about the same load on this shared machine; the row gives the medians.
      const samples = [];
      for (let r = 0; r < rounds; r++) {
        const seed = await seedRun(sampled);
        const byok = await byokRun(count, `c${count}-r${r}`);
        samples.push({ seed, byok, ratio: seed.msPerKey / (byok.ms / count) });
      }
      const m = (pick) => median(samples.map(pick));
      rows.push({
        count,
        sampled,
        rounds,
        seedMsPerKey: m((x) => x.seed.msPerKey),
        byokMs: m((x) => x.byok.ms),
        ratio: m((x) => x.ratio),
        seedBytesPerKey: samples[0].seed.bytesPerKey,
        byokBytes: samples[0].byok.bytes,
      });
    }

    log(
      '| keys | rounds | seed keys run | seed procedure ms/key | byok ms/key | seed / byok | bytes across the gap per key: seed files | byok bundles |',
    );
    log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      const byokPerKey = r.byokMs / r.count;
      log(
        `| ${r.count} | ${r.rounds} | ${r.sampled} | ${r.seedMsPerKey.toFixed(0)} | ${byokPerKey.toFixed(1)} | ${r.ratio.toFixed(1)}× | ${Math.round(r.seedBytesPerKey)} | ${Math.round(r.byokBytes / r.count)} |`,
      );
    }
    log(
      '(RSA_2048 wrapping keys on both sides, as in the seed; byok includes two check-code confirmations per command, proofs and audit logs; the seed figure per key is the mean of the keys it ran; each side runs once per round and the ratio is the median of the ratios of the rounds. Target: 100× at 100 keys.)',
    );
  } finally {
    kms.destroy();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
