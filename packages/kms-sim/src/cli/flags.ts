import { DEFAULT_POOL_SIZE } from '../crypto/wrapping-key-pool.js';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, REHEARSAL_CREDENTIALS } from '../defaults.js';

/** The simulator's flags: names, types, defaults and help. */
export const FLAGS = {
  host: {
    type: 'string',
    default: '127.0.0.1',
    describe: 'Address to bind (loopback unless told otherwise)',
  },
  port: { type: 'number', default: 4599, describe: 'Port; 0 picks a free one' },
  region: {
    type: 'string',
    default: DEFAULT_REGION,
    describe: 'Region of the keys and of the SigV4 scope',
  },
  'other-region': {
    type: 'string',
    array: true,
    describe: 'Also serve this Region, for multi-Region keys (repeatable)',
  },
  account: {
    type: 'string',
    default: DEFAULT_ACCOUNT,
    describe: 'Account id in ARNs',
  },
  credentials: {
    type: 'string',
    array: true,
    describe: `Accepted ID:SECRET (repeatable); default ${REHEARSAL_CREDENTIALS.accessKeyId}:${REHEARSAL_CREDENTIALS.secretAccessKey}`,
  },
  'clock-offset': {
    type: 'number',
    default: 0,
    describe: 'Start the simulated clock this many seconds ahead',
  },
  'state-file': {
    type: 'string',
    describe: 'Persist state here (root key in FILE.key, mode 0600)',
  },
  faults: {
    type: 'string',
    describe: 'Inject faults, e.g. throttle=0.1,internal=0.05,reset=0.02,latency=50ms',
  },
  seed: { type: 'number', describe: 'Seed for fault injection, so runs repeat' },
  verbose: {
    type: 'boolean',
    default: false,
    describe: 'Print one line per request',
  },
  'wrapping-key-pool': {
    type: 'boolean',
    default: true,
    describe: 'Keep RSA wrapping keys ready in the background',
  },
  'wrapping-key-pool-size': {
    type: 'number',
    default: DEFAULT_POOL_SIZE,
    describe: 'Most wrapping keys kept ready per size; generated one per core',
  },
  'wrapping-key-pool-file': {
    type: 'string',
    describe: 'Serve these (test-only, public) wrapping keys first, each once',
  },
  'wrapping-key-pool-file-reuse': {
    type: 'boolean',
    default: false,
    describe: 'Serve the pool file keys again in turn instead of generating any (benchmarks)',
  },
  'request-log': {
    type: 'string',
    describe: 'Append one JSON line per request to FILE',
  },
} as const;
