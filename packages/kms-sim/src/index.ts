import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WrappingKeyPool } from './crypto/wrapping-key-pool.js';
import type { WrappingKeyPoolOptions } from './crypto/wrapping-key-pool.js';
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
  /** Serve the pool file's pairs again, in turn, instead of generating any (benchmarks). */
  wrappingKeyPoolFileReuse?: boolean;
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
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The options that need no file or socket, checked before anything is opened. */
function checkedSettings(options: KmsSimOptions) {
  const region = options.region ?? DEFAULT_REGION;
  const account = options.account ?? DEFAULT_ACCOUNT;
  const otherRegions = options.otherRegions ?? [];
  for (const name of [region, ...otherRegions])
    if (!REGION_NAME.test(name)) throw new RangeError(`'${name}' is not a Region name`);
  if (!/^\d{12}$/.test(account)) throw new RangeError(`account '${account}' must be 12 digits`);
  const faults = parseFaults(options.faults);
  const credentialList = options.credentials ?? [REHEARSAL_CREDENTIALS];
  if (credentialList.length === 0) throw new RangeError('at least one credential is needed');
  const adminToken = options.adminToken ?? randomBytes(32).toString('base64url');
  if (!ADMIN_TOKEN.test(adminToken))
    throw new RangeError('the admin token must be 16 to 128 characters of [A-Za-z0-9_-]');
  const poolSize = options.wrappingKeyPoolSize;
  if (poolSize !== undefined && !(Number.isInteger(poolSize) && poolSize >= 1 && poolSize <= 1024))
    throw new RangeError(`the wrapping key pool size must be a whole number from 1 to 1024`);
  return {
    region,
    account,
    regions: new Set([region, ...otherRegions]),
    faults,
    credentials: new Map(credentialList.map((c) => [c.accessKeyId, { ...c }])),
    adminToken,
  };
}

/** The state, loaded from --state-file (and saved there after each change) or kept in memory. */
function openState(path: string | undefined): {
  state: SimState;
  stateFile?: StateFile;
  persist?: () => void;
} {
  if (path === undefined)
    return {
      state: new SimState({ tokenKey: randomBytes(32), materialIdKey: randomBytes(32) }),
    };
  const { file, state } = StateFile.open(path);
  return {
    state,
    stateFile: file,
    persist: () => {
      file.record(state);
    },
  };
}

/** The wrapping key pool: pool-file pairs first, else RSA_4096 pairs generated ahead. */
function createPool(
  options: KmsSimOptions,
  seeded: WrappingKeyPoolOptions['seeded'],
): WrappingKeyPool {
  const pool = new WrappingKeyPool({
    enabled: options.wrappingKeyPool ?? true,
    ...(options.wrappingKeyPoolSize === undefined ? {} : { size: options.wrappingKeyPoolSize }),
    ...(seeded === undefined ? {} : { seeded }),
    reuseSeeded: options.wrappingKeyPoolFileReuse ?? false,
  });
  if (seeded === undefined) pool.warm('RSA_4096');
  return pool;
}

/** Listens on host:port and answers the URL clients reach the server at. */
async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${urlHost}:${address.port}`;
}

export async function startKmsSim(options: KmsSimOptions = {}): Promise<KmsSim> {
  const settings = checkedSettings(options);
  const clock = new SimClock(options.clockOffsetSeconds ?? 0);
  // Files are read before the pool starts generating keys, so a refused file leaves nothing running.
  const seeded =
    options.wrappingKeyPoolFile === undefined
      ? undefined
      : readWrappingKeyPoolFile(options.wrappingKeyPoolFile);
  const { state, stateFile, persist } = openState(options.stateFile);
  const requestLog =
    options.requestLog === undefined ? undefined : new RequestLog(options.requestLog);
  const pool = createPool(options, seeded);
  const context: HandlerContext = {
    region: settings.region,
    account: settings.account,
    clock,
    pool,
  };
  const server = createSimServer({
    ...settings,
    state,
    context,
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
  let url: string;
  try {
    url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  } catch (error) {
    release();
    throw error;
  }
  return {
    url,
    region: settings.region,
    account: settings.account,
    adminToken: settings.adminToken,
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
