import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sha256 } from '@aws-crypto/sha256-js';
import { KMSClient } from '@aws-sdk/client-kms';
import { SignatureV4 } from '@smithy/signature-v4';
import { REHEARSAL_CREDENTIALS } from '../src/index.js';
import type { KmsSim } from '../src/index.js';

/** Throwaway RSA wrapping keys, generated once (scripts/generate-wrapping-key-pool.mjs): tests only. */
export const FIXTURE_WRAPPING_KEY_POOL = join(
  dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'wrapping-key-pool.json',
);

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kms-sim-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function kmsClient(sim: KmsSim): KMSClient {
  return new KMSClient({
    endpoint: sim.url,
    region: sim.region,
    credentials: REHEARSAL_CREDENTIALS,
    maxAttempts: 1,
  });
}

export interface ShellResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a bash script in `dir` with the aws CLI pointed at the simulator with the rehearsal credentials. */
export function bash(
  sim: KmsSim,
  dir: string,
  script: string,
  extraEnv: Record<string, string> = {},
): Promise<ShellResult> {
  const config = join(dir, '.aws-config');
  writeFileSync(config, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    AWS_ACCESS_KEY_ID: REHEARSAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: REHEARSAL_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: sim.region,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: config,
    AWS_ENDPOINT_URL_KMS: sim.url,
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    ...extraEnv,
  };
  if (process.env.PYENV_ROOT !== undefined) env.PYENV_ROOT = process.env.PYENV_ROOT;
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A raw signed request, for what the SDK would never send. */
export async function signedRequest(
  sim: KmsSim,
  target: string | undefined,
  body: string,
  options: { credentials?: { accessKeyId: string; secretAccessKey: string }; region?: string } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(sim.url);
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-amz-json-1.1',
  };
  if (target !== undefined) headers['x-amz-target'] = target;
  const signer = new SignatureV4({
    credentials: options.credentials ?? REHEARSAL_CREDENTIALS,
    region: options.region ?? sim.region,
    service: 'kms',
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers,
    body,
  });
  const response = await fetch(sim.url, { method: 'POST', headers: signed.headers, body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A request to an admin endpoint with the simulator's token, as a client that has it would send it. */
export async function adminRequest(
  sim: KmsSim,
  path: string,
  options: {
    method?: string;
    body?: string | Uint8Array;
    contentType?: string;
    token?: string | null;
  } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? sim.adminToken : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined)
    headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${sim.url}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
