import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WrappingKeyPool } from './crypto/wrapping-key-pool.js';
import type { HandlerContext } from './handlers/context.js';
import { parseFaults, seededRandom } from './protocol/faults.js';
import type { Credentials } from './protocol/sigv4.js';
import { createSimServer } from './server.js';
import { SimClock } from './state/clock.js';
import { loadOrCreateRootKey, loadState, saveState } from './state/persist.js';
import { SimState } from './state/store.js';

export type { Credentials } from './protocol/sigv4.js';
export { FaultSyntaxError, parseFaults } from './protocol/faults.js';

/**
 * Credentials the simulator accepts unless told otherwise. They are not AWS credentials.
 * Not frozen: the AWS SDK marks the credential objects it is given.
 */
export const REHEARSAL_CREDENTIALS: Credentials = {
  accessKeyId: 'BYOKREHEARSALKEY0001',
  secretAccessKey: 'byok-kms-sim-rehearsal-secret-not-for-aws',
};

export const DEFAULT_REGION = 'eu-west-2';
export const DEFAULT_ACCOUNT = '111122223333';

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
  /** Keep RSA wrapping keys ready in the background (default true). */
  wrappingKeyPool?: boolean;
}

export interface KmsSim {
  url: string;
  region: string;
  account: string;
  advanceClock(seconds: number): void;
  now(): Date;
  close(): Promise<void>;
}

export async function startKmsSim(options: KmsSimOptions = {}): Promise<KmsSim> {
  const region = options.region ?? DEFAULT_REGION;
  const account = options.account ?? DEFAULT_ACCOUNT;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new RangeError(`'${region}' is not a Region name`);
  if (!/^\d{12}$/.test(account)) throw new RangeError(`account '${account}' must be 12 digits`);
  const faults = parseFaults(options.faults);
  const credentialList = options.credentials ?? [REHEARSAL_CREDENTIALS];
  if (credentialList.length === 0) throw new RangeError('at least one credential is needed');
  const credentials = new Map(credentialList.map((c) => [c.accessKeyId, { ...c }]));

  let state: SimState;
  let persist: (() => void) | undefined;
  if (options.stateFile !== undefined) {
    const stateFile = options.stateFile;
    const rootKey = loadOrCreateRootKey(stateFile);
    state =
      loadState(stateFile, rootKey) ??
      new SimState({ tokenKey: randomBytes(32), materialIdKey: randomBytes(32) });
    persist = () => {
      saveState(stateFile, rootKey, state);
    };
    persist();
  } else {
    state = new SimState({ tokenKey: randomBytes(32), materialIdKey: randomBytes(32) });
  }

  const pool = new WrappingKeyPool({ enabled: options.wrappingKeyPool ?? true });
  pool.warm('RSA_4096');
  const clock = new SimClock(options.clockOffsetSeconds ?? 0);
  const context: HandlerContext = { region, account, clock, pool };
  const server = createSimServer({
    state,
    context,
    credentials,
    faults,
    random: options.seed === undefined ? Math.random : seededRandom(options.seed),
    ...(persist === undefined ? {} : { persist }),
    ...(options.verbose === undefined ? {} : { log: options.verbose }),
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    region,
    account,
    advanceClock(seconds: number) {
      clock.advance(seconds);
      state.tick(clock.nowSeconds());
      persist?.();
    },
    now: () => new Date(clock.nowMs()),
    close: () =>
      new Promise<void>((resolve, reject) => {
        pool.close();
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      }),
  };
}
