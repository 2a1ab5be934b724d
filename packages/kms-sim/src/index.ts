import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WrappingKeyPool } from './crypto/wrapping-key-pool.js';
import { readWrappingKeyPoolFile } from './crypto/wrapping-key-pool-file.js';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, REHEARSAL_CREDENTIALS } from './defaults.js';
import { RequestLog } from './protocol/request-log.js';
import type { HandlerContext } from './handlers/context.js';
import { parseFaults, seededRandom } from './protocol/faults.js';
import type { Credentials } from './protocol/sigv4.js';
import { createSimServer } from './server.js';
import { SimClock } from './state/clock.js';
import { StateFile } from './state/persist.js';
import { SimState } from './state/store.js';

export type { Credentials } from './protocol/sigv4.js';
export { parseRequestLog, type RequestLogEntry } from './protocol/request-log.js';
export { FaultSyntaxError, parseFaults } from './protocol/faults.js';
export { DEFAULT_POOL_SIZE } from './crypto/wrapping-key-pool.js';
export { WRAPPING_KEY_POOL_FORMAT } from './crypto/wrapping-key-pool-file.js';
export { MAX_CLOCK_OFFSET_SECONDS } from './state/clock.js';
export { isLoopbackHost } from './admin/loopback.js';

export { DEFAULT_ACCOUNT, DEFAULT_REGION, REHEARSAL_CREDENTIALS } from './defaults.js';

export interface KmsSimOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  region?: string;
  account?: string;
  credentials?: Credentials[];
  clockOffsetSeconds?: number;
  stateFile?: string;
  /** e.g. `throttle=0.1,internal=0.05,reset=0.02,latency=50ms`. */
  faults?: string;
  seed?: number;
  verbose?: (line: string) => void;
  /** More Regions served besides `region`, for multi-Region keys (the SigV4 scope picks one). */
  otherRegions?: readonly string[];
  /** Keep RSA wrapping keys ready in the background (default true). */
  wrappingKeyPool?: boolean;
  /** The most wrapping key pairs kept ready per spec (default 16); generation runs one per core. */
  wrappingKeyPoolSize?: number;
  /** A pool file (throwaway test keys) whose key pairs are served first, each once. */
  wrappingKeyPoolFile?: string;
  /** Append one JSON line per request to this file. */
  requestLog?: string;
  /** The admin token; default 32 random bytes, base64url. */
  adminToken?: string;
}

export interface KmsSim {
  url: string;
  region: string;
  account: string;
  /** The bearer token of the admin endpoints (`Authorization: Bearer TOKEN`). */
  adminToken: string;
  advanceClock(seconds: number): void;
  now(): Date;
  close(): Promise<void>;
}

const ADMIN_TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export async function startKmsSim(options: KmsSimOptions = {}): Promise<KmsSim> {
  const region = options.region ?? DEFAULT_REGION;
  const account = options.account ?? DEFAULT_ACCOUNT;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new RangeError(`'${region}' is not a Region name`);
  const otherRegions = options.otherRegions ?? [];
  for (const other of otherRegions)
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(other))
      throw new RangeError(`'${other}' is not a Region name`);
  if (!/^\d{12}$/.test(account)) throw new RangeError(`account '${account}' must be 12 digits`);
  const faults = parseFaults(options.faults);
  const credentialList = options.credentials ?? [REHEARSAL_CREDENTIALS];
  if (credentialList.length === 0) throw new RangeError('at least one credential is needed');
  const credentials = new Map(credentialList.map((c) => [c.accessKeyId, { ...c }]));

  const adminToken = options.adminToken ?? randomBytes(32).toString('base64url');
  if (!ADMIN_TOKEN.test(adminToken))
    throw new RangeError('the admin token must be 16 to 128 characters of [A-Za-z0-9_-]');
  const poolSize = options.wrappingKeyPoolSize;
  if (poolSize !== undefined && !(Number.isInteger(poolSize) && poolSize >= 1 && poolSize <= 1024))
    throw new RangeError(`the wrapping key pool size must be a whole number from 1 to 1024`);
  const clock = new SimClock(options.clockOffsetSeconds ?? 0);
  const seeded =
    options.wrappingKeyPoolFile === undefined
      ? undefined
      : readWrappingKeyPoolFile(options.wrappingKeyPoolFile);

  let state: SimState;
  let stateFile: StateFile | undefined;
  if (options.stateFile !== undefined) {
    ({ file: stateFile, state } = StateFile.open(options.stateFile));
  } else {
    state = new SimState({ tokenKey: randomBytes(32), materialIdKey: randomBytes(32) });
  }
  const persist =
    stateFile === undefined
      ? undefined
      : () => {
          stateFile.record(state);
        };
  const requestLog =
    options.requestLog === undefined ? undefined : new RequestLog(options.requestLog);

  const pool = new WrappingKeyPool({
    enabled: options.wrappingKeyPool ?? true,
    ...(poolSize === undefined ? {} : { size: poolSize }),
    ...(seeded === undefined ? {} : { seeded }),
  });
  if (seeded === undefined) pool.warm('RSA_4096');
  const context: HandlerContext = { region, account, clock, pool };
  const server = createSimServer({
    state,
    context,
    regions: new Set([region, ...otherRegions]),
    credentials,
    faults,
    adminToken,
    random: options.seed === undefined ? Math.random : seededRandom(options.seed),
    ...(persist === undefined ? {} : { persist }),
    ...(requestLog === undefined ? {} : { requestLog }),
    ...(options.verbose === undefined ? {} : { log: options.verbose }),
  });
  const release = () => {
    pool.close();
    stateFile?.close();
    requestLog?.close();
  };

  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    release();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    region,
    account,
    adminToken,
    advanceClock(seconds: number) {
      clock.advance(seconds);
      state.tick(clock.nowSeconds());
      persist?.();
    },
    now: () => new Date(clock.nowMs()),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          release();
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      }),
  };
}
