import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplicateKeyCommand } from '@aws-sdk/client-kms';
import { parseRequestLog } from '@byok-ceremony/kms-sim';
import { describe, expect, it } from 'vitest';
import { keyIdFlags } from '../../../test/ceremony/driver.mjs';
import { simForThisFile } from './helpers/sim-env.js';
import { Ceremony } from './lifecycle/ceremony-steps.js';

// The simulator's own request log is the witness: what each command sent, key by key.
const REQUEST_LOG = join(mkdtempSync(join(tmpdir(), 'byok-calls-')), 'requests.jsonl');
const s = simForThisFile({ otherRegions: ['us-east-1'], requestLog: REQUEST_LOG });

/** A key's KMS calls in one step, in the order sent: the operations whose KeyId named it. */
type CallsPerKey = Map<string, string[]>;

/** The request log's lines so far (the in-process simulator wrote each before answering it). */
function logged() {
  return parseRequestLog(readFileSync(REQUEST_LOG, 'utf8'));
}

/** The KMS calls `step` made, per key ARN among `arns`; any other request fails the count. */
async function callsOf(
  arns: readonly string[],
  step: () => Promise<unknown>,
): Promise<CallsPerKey> {
  const from = logged().length;
  await step();
  const calls: CallsPerKey = new Map(arns.map((arn) => [arn, []]));
  for (const r of logged().slice(from)) {
    expect(r.status, `${r.operation ?? r.admin ?? ''} answered ${r.status}`).toBe(200);
    const of = calls.get(r.keyId ?? '');
    expect(of, `${r.operation ?? ''} for ${r.keyId ?? 'no key'}`).toBeDefined();
    of!.push(r.operation!);
  }
  return calls;
}

/** Each key's calls, the same for all: the list, else the differing map. */
function sameForEach(calls: CallsPerKey): string[] | CallsPerKey {
  const lists = [...calls.values()];
  return lists.every((l) => l.join() === lists[0]!.join()) ? lists[0]! : calls;
}

/** docs/performance.md's table, "Calls per key": what each side sends per key, in order. */
const STATED = {
  newSymmetric: {
    prepare: ['DescribeKey', 'GetParametersForImport'],
    import: ['DescribeKey', 'ImportKeyMaterial'],
  },
  hmac: {
    prepare: ['DescribeKey', 'GetParametersForImport'],
    import: ['DescribeKey', 'ImportKeyMaterial', 'DescribeKey', 'GenerateMac'],
  },
  asymmetric: {
    prepare: ['DescribeKey', 'GetParametersForImport'],
    import: ['DescribeKey', 'ImportKeyMaterial', 'DescribeKey', 'GetPublicKey'],
  },
  replica: {
    prepare: ['DescribeKey', 'ListKeyRotations', 'GetParametersForImport'],
    import: ['DescribeKey', 'ImportKeyMaterial', 'DescribeKey'],
  },
  reimport: {
    prepare: ['DescribeKey', 'ListKeyRotations', 'GetParametersForImport'],
    import: ['DescribeKey', 'ImportKeyMaterial', 'ListKeyRotations', 'DescribeKey'],
  },
  rotation: {
    prepare: ['DescribeKey', 'ListKeyRotations', 'GetParametersForImport'],
    import: [
      'DescribeKey',
      'ListKeyRotations',
      'ImportKeyMaterial',
      'DescribeKey',
      'ListKeyRotations',
      'DescribeKey',
      'ListKeyRotations',
      'RotateKeyOnDemand',
      'DescribeKey',
    ],
  },
} as const;

/** prepare → wrap → import of `arns`; each side's calls per key. */
async function ceremonyCalls(
  c: Ceremony,
  arns: readonly string[],
  name: string,
  options: { prepare?: string[]; material?: string[]; import?: string[] } = {},
) {
  let code = '';
  const prepare = await callsOf(arns, async () => {
    code = (await c.prepare(`${name}.json`, [...keyIdFlags(arns), ...(options.prepare ?? [])]))
      .checkCode as string;
  });
  const wrapped = await callsOf(arns, async () => {
    code = await c.wrap(`${name}.json`, code, `${name}-wrapped.json`, options.material);
  });
  const imported = await callsOf(arns, () =>
    c.import(`${name}.json`, `${name}-wrapped.json`, code, options.import),
  );
  // The offline side never reaches KMS.
  expect([...wrapped.values()].flat()).toEqual([]);
  return { prepare: sameForEach(prepare), import: sameForEach(imported) };
}

describe('KMS calls per key, as the simulator logged them, against docs/performance.md', () => {
  it('new SYMMETRIC_DEFAULT keys: at most 4 calls each, prepare → wrap → import', async () => {
    const c = await Ceremony.start(s);
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) arns.push(await c.createKey());
    const calls = await ceremonyCalls(c, arns, 'new');
    expect(calls).toEqual(STATED.newSymmetric);
    expect(
      STATED.newSymmetric.prepare.length + STATED.newSymmetric.import.length,
    ).toBeLessThanOrEqual(4);
  });

  it('HMAC and asymmetric keys: the wait before the proof, then GenerateMac or GetPublicKey', async () => {
    const c = await Ceremony.start(s);
    const macs = [await c.createKey(['--key-spec', 'HMAC_256'])];
    const signers = [await c.createKey(['--key-spec', 'ECC_NIST_P256'])];
    expect(await ceremonyCalls(c, macs, 'mac')).toEqual(STATED.hmac);
    expect(await ceremonyCalls(c, signers, 'ecc')).toEqual(STATED.asymmetric);
  });

  it('a multi-Region primary with its replica: the primary as a new key, the replica listed and waited for', async () => {
    const c = await Ceremony.start(s);
    const primary = await c.createKey(['--multi-region']);
    const replicated = await s.kms.send(
      new ReplicateKeyCommand({ KeyId: primary, ReplicaRegion: 'us-east-1' }),
    );
    const replica = replicated.ReplicaKeyMetadata!.Arn!;
    let code = '';
    const prepare = await callsOf([primary, replica], async () => {
      code = (await c.prepare('mrk.json', ['--key-id', primary, '--with-replicas']))
        .checkCode as string;
    });
    code = await c.wrap('mrk.json', code, 'mrk-wrapped.json');
    const imported = await callsOf([primary, replica], () =>
      c.import('mrk.json', 'mrk-wrapped.json', code),
    );
    expect(prepare.get(primary)).toEqual(STATED.newSymmetric.prepare);
    expect(imported.get(primary)).toEqual(STATED.newSymmetric.import);
    expect(prepare.get(replica)).toEqual(STATED.replica.prepare);
    expect(imported.get(replica)).toEqual(STATED.replica.import);
  });

  it('a re-import after the material was deleted, and a rotation with import --rotate', async () => {
    const c = await Ceremony.start(s);
    // One key: --material-file gives one material, and a re-import needs the original.
    const arns = [await c.createKey()];
    const material = ['--material-file', await c.materialFile('a.bin')];
    await ceremonyCalls(c, arns, 'first', { material });
    for (const arn of arns) {
      const del = await c.operated(['delete-material', '--key-id', arn]);
      expect(del.code, del.stderr).toBe(0);
    }
    expect(await ceremonyCalls(c, arns, 're', { prepare: ['--reimport'], material })).toEqual(
      STATED.reimport,
    );
    expect(
      await ceremonyCalls(c, arns, 'rot', { prepare: ['--new-material'], import: ['--rotate'] }),
    ).toEqual(STATED.rotation);
  });
});
