import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  REHEARSAL_CREDENTIALS,
  startKmsSim,
  type KmsSim,
  type KmsSimOptions,
} from '@byok-ceremony/kms-sim';
import { afterAll, beforeAll } from 'vitest';

/** Throwaway wrapping keys generated once (tests only), so the tests do not wait for RSA generation. */
export const FIXTURE_WRAPPING_KEY_POOL = fileURLToPath(
  new URL('../../../kms-sim/test/fixtures/wrapping-key-pool.json', import.meta.url),
);

export interface SimEnv {
  readonly sim: KmsSim;
  /** Environment for the CLIs: rehearsal credentials and empty AWS config files. */
  readonly env: Record<string, string | undefined>;
  /** Global flags pointing at the simulator. */
  readonly flags: string[];
  readonly configDir: string;
  /** The tests' own SDK client on the simulator, to check what the CLIs did. */
  readonly kms: KMSClient;
  /** Stops the client and the simulator. */
  close(): Promise<void>;
}

/**
 * Starts the simulator and points the SDK's default chain at its rehearsal credentials, with
 * empty config files so the machine's own AWS configuration cannot leak in. In-process commands
 * read credentials from process.env (the SDK does), so it is set too.
 */
export async function startSimEnv(options: KmsSimOptions = {}): Promise<SimEnv> {
  const sim = await startKmsSim({ wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL, ...options });
  const configDir = await mkdtemp(join(tmpdir(), 'byok-online-aws-'));
  await writeFile(join(configDir, 'config'), '');
  await writeFile(join(configDir, 'credentials'), '');
  const aws: Record<string, string> = {
    AWS_ACCESS_KEY_ID: REHEARSAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: REHEARSAL_CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: join(configDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(configDir, 'credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  for (const name of [
    'AWS_PROFILE',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_SESSION_TOKEN',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_KMS',
  ])
    delete process.env[name];
  Object.assign(process.env, aws);
  const env = { ...process.env, ...aws };
  const kms = new KMSClient({
    region: sim.region,
    endpoint: sim.url,
    credentials: REHEARSAL_CREDENTIALS,
  });
  return {
    sim,
    env,
    flags: ['--endpoint-url', sim.url, '--region', sim.region],
    configDir,
    kms,
    close: async () => {
      kms.destroy();
      await sim.close();
    },
  };
}

/**
 * The simulator for every test in the calling file: started before the first test, closed after
 * the last. Read its fields inside tests and hooks only; before the start they throw, named.
 */
export function simForThisFile(options: KmsSimOptions = {}): SimEnv {
  let started: SimEnv | undefined;
  beforeAll(async () => {
    started = await startSimEnv(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const now = (): SimEnv => {
    if (started === undefined)
      throw new Error('the simulator starts in beforeAll: read it in a test');
    return started;
  };
  return {
    get sim() {
      return now().sim;
    },
    get env() {
      return now().env;
    },
    get flags() {
      return now().flags;
    },
    get configDir() {
      return now().configDir;
    },
    get kms() {
      return now().kms;
    },
    close: () => now().close(),
  };
}
