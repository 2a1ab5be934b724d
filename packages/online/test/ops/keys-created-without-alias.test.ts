import type { LoggedAuditEntry } from '@byok-ceremony/node-io';
import { describe, expect, it } from 'vitest';
import { keysCreatedWithoutAlias } from '../../src/ops/keys-created-without-alias.js';

const DIGEST = 'ab'.repeat(32);
const ARN = (n: number, where = 'eu-west-2:111122223333') =>
  `arn:aws:kms:${where}:key/${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
const PLAN = { digest: DIGEST, plan: { account: '111122223333', region: 'eu-west-2' } };

function prepare(keys: unknown[], digest = DIGEST, command = 'prepare'): LoggedAuditEntry {
  return { entry: { command, plan: { name: 'p', digest }, keys } } as unknown as LoggedAuditEntry;
}

describe('keysCreatedWithoutAlias', () => {
  it('finds a key the plan created whose alias was not, until a later run creates the alias', () => {
    const first = prepare([
      { keyArn: ARN(1), alias: 'alias/a', created: ['key', 'alias'] },
      { keyArn: ARN(2), alias: 'alias/b', created: ['key'] },
    ]);
    expect([...keysCreatedWithoutAlias([first], PLAN)]).toEqual([['alias/b', ARN(2)]]);
    const again = prepare([{ keyArn: ARN(2), alias: 'alias/b', created: ['alias'] }]);
    expect(keysCreatedWithoutAlias([first, again], PLAN).size).toBe(0);
  });

  it("ignores other plans, other commands and entries that are not the log's shape", () => {
    const keys = [{ keyArn: ARN(3), alias: 'alias/c', created: ['key'] }];
    expect(keysCreatedWithoutAlias([prepare(keys, 'cd'.repeat(32))], PLAN).size).toBe(0);
    expect(keysCreatedWithoutAlias([prepare(keys, DIGEST, 'import')], PLAN).size).toBe(0);
    const odd = prepare([
      null,
      5,
      { keyArn: ARN(4), alias: 7, created: ['key'] },
      { keyArn: ARN(5), alias: 'alias/e', created: 'key' },
    ]);
    expect(keysCreatedWithoutAlias([odd], PLAN).size).toBe(0);
  });

  it("takes only key ARNs of the plan's account and Region", () => {
    const keys = [
      { keyArn: ARN(6, 'eu-west-2:444455556666'), alias: 'alias/f', created: ['key'] },
      { keyArn: ARN(7, 'us-east-1:111122223333'), alias: 'alias/g', created: ['key'] },
      { keyArn: 'alias/other', alias: 'alias/h', created: ['key'] },
      { keyArn: ARN(8), alias: 'alias/i', created: ['key'] },
    ];
    expect([...keysCreatedWithoutAlias([prepare(keys)], PLAN)]).toEqual([['alias/i', ARN(8)]]);
  });
});
