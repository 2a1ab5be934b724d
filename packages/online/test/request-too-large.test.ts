import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRequestLog } from '@byok-ceremony/kms-sim';
import { describe, expect, it } from 'vitest';
import { keyIdFlags, prepareArgv } from '../../../test/ceremony/driver.mjs';
import { ARN_MAX_CHARS, largestBatchThatFits } from '../src/ops/request-size-bounds.js';
import { simForThisFile } from './helpers/sim-env.js';
import { Ceremony } from './lifecycle/ceremony-steps.js';

// The simulator's own request log is the witness that prepare asked KMS nothing.
const REQUEST_LOG = join(mkdtempSync(join(tmpdir(), 'byok-too-large-')), 'requests.jsonl');
const s = simForThisFile({ requestLog: REQUEST_LOG });

const logged = () =>
  existsSync(REQUEST_LOG) ? parseRequestLog(readFileSync(REQUEST_LOG, 'utf8')) : [];

describe('prepare of more keys than wrap and import can read', () => {
  it('is refused before the first KMS call, naming the largest batch, with no file written', async () => {
    const c = await Ceremony.start(s, { onlineAsChild: true });
    const keys = 12_000;
    const arns = Array.from(
      { length: keys },
      (_, i) =>
        `arn:aws:kms:${s.sim.region}:111122223333:key/00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const before = logged().length;
    const r = await c.online(
      prepareArgv('request.json', [...keyIdFlags(arns), '--wrapping-key-spec', 'RSA_4096']),
    );
    const most = largestBatchThatFits(
      { wrappingKeySpec: 'RSA_4096', operators: ['ALICE', 'BOB'], ceremonyName: null },
      { keySpec: undefined, wrappingAlgorithm: undefined, arnChars: ARN_MAX_CHARS },
    );
    expect(most).toBeLessThan(keys);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /^byok-online: error: 12000 keys with RSA_4096 wrapping keys are too many for one request: the import request may take up to 1\d\.\d MiB, above the 16\.0 MiB its reader accepts/m,
    );
    expect(r.stderr).toMatch(
      new RegExp(
        `^byok-online: hint: At most ${most} keys .* run prepare with at most ${most} --key-id values`,
        'm',
      ),
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(logged().slice(before)).toEqual([]);
    expect(existsSync(join(c.onlineDir, 'request.json'))).toBe(false);
    expect(existsSync(join(c.onlineDir, 'request.json.tokens.json'))).toBe(false);
  });
});
