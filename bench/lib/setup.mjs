// What the benchmarks share: the committed bins, the fixture wrapping-key pool, the simulator's
// built module, the environment the CLIs get against it, key creation outside the timings, medians.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const root = resolve(fileURLToPath(import.meta.url), '../../..');
export const exec = promisify(execFile);
export const BIN = {
  offline: join(root, 'packages/offline/bin/byok-offline.mjs'),
  online: join(root, 'packages/online/bin/byok-online.mjs'),
  kmsSim: join(root, 'packages/kms-sim/bin/byok-kms-sim.mjs'),
};
/** Pre-generated RSA wrapping keys, so that no timing waits for the simulator's RSA generation. */
export const POOL = join(root, 'packages/online/test/fixtures/wrapping-key-pool-1000.json');

/** The built byok-kms-sim package (startKmsSim, REHEARSAL_CREDENTIALS). */
export const importKmsSim = () => import(join(root, 'packages/kms-sim/dist/index.js'));

/**
 * An SDK client of the simulator at `sim.url`, with the rehearsal credentials, in `sim.region`
 * (a simulator child process names none: the simulator's default Region), with `options` added.
 */
export async function simKmsClient(sim, options = {}) {
  const { KMSClient } = await import('@aws-sdk/client-kms');
  const { REHEARSAL_CREDENTIALS } = await importKmsSim();
  return new KMSClient({
    endpoint: sim.url,
    region: sim.region ?? 'eu-west-2',
    credentials: REHEARSAL_CREDENTIALS,
    ...options,
  });
}

/**
 * PATH, the rehearsal credentials and `extra`, with HOME and the AWS config files in `dir`
 * (the config files empty), so that nothing from this machine's AWS setup reaches the CLIs.
 */
export async function cliEnv(dir, credentials, extra = {}) {
  const empty = join(dir, 'empty');
  await writeFile(empty, '');
  return {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_CONFIG_FILE: empty,
    AWS_SHARED_CREDENTIALS_FILE: empty,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

/** `count` EXTERNAL SYMMETRIC_DEFAULT keys, `lanes` at a time, each tried up to `attempts` times. */
export async function createExternalKeys(kms, count, { lanes = 8, attempts = 1 } = {}) {
  const { CreateKeyCommand } = await import('@aws-sdk/client-kms');
  const arns = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      for (let attempt = 1; ; attempt++) {
        try {
          const out = await kms.send(
            new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'SYMMETRIC_DEFAULT' }),
          );
          arns[i] = out.KeyMetadata.Arn;
          break;
        } catch (error) {
          if (attempt >= attempts) throw error;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return arns;
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
