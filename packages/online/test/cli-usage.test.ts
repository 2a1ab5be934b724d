import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpointUrl } from '../src/kms/create-kms-client.js';
import { normalizeAlias } from '../src/ops/normalize-alias.js';
import { parseTags } from '../src/ops/parse-tags.js';
import { resolveExpiration } from '../src/ops/resolve-expiration.js';
import { assignMaterialGroups } from '../src/ops/assign-material-groups.js';
import { runOnline } from './helpers/run-online.js';

// Argument validation refuses before any KMS call: the endpoint below is never contacted.
const FLAGS = ['--endpoint-url', 'http://127.0.0.1:9', '--region', 'eu-west-2'];

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'byok-online-usage-'));
});

async function run(argv: string[], options: { interactive?: boolean } = {}) {
  const result = await runOnline([...FLAGS, ...argv], { cwd, ...options });
  // Nothing was done, so nothing was logged.
  expect(existsSync(join(cwd, 'byok-online-audit.jsonl'))).toBe(false);
  return result;
}

describe('create-key refuses bad arguments before calling KMS', () => {
  it('refuses a key spec that cannot take imported material', async () => {
    const r = await run(['create-key', '--key-spec', 'ML_DSA_44']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'byok-online: error: KMS does not accept imported key material for ML_DSA_44',
    );
    expect(r.stderr).toMatch(/byok-online: hint: Choose a key spec .*SYMMETRIC_DEFAULT/);
  });
  it('refuses a usage the rules table does not allow for the spec', async () => {
    const r = await run(['create-key', '--key-spec', 'HMAC_256', '--key-usage', 'ENCRYPT_DECRYPT']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HMAC_256 keys cannot have key usage ENCRYPT_DECRYPT');
    expect(r.stderr).toContain('hint: Use --key-usage GENERATE_VERIFY_MAC');
  });
  it('refuses a bad alias and a bad tag', async () => {
    const alias = await run(['create-key', '--alias', 'alias/aws/mine']);
    expect(alias.code).toBe(2);
    expect(alias.stderr).toContain('alias/aws/ is reserved');
    const tag = await run(['create-key', '--tag', 'novalue']);
    expect(tag.code).toBe(2);
    expect(tag.stderr).toContain('"novalue" is not KEY=VALUE');
    expect(tag.stderr).toContain('hint: Give each tag as --tag KEY=VALUE');
  });
  it('rejects unknown options (strict)', async () => {
    const r = await run(['create-key', '--origin', 'AWS_KMS']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: unknown option\(s\) or argument\(s\): origin/);
  });
});

describe('prepare refuses bad arguments', () => {
  it('needs --key-id and --out', async () => {
    const noKey = await run(['prepare', '--out', 'r.json']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('prepare needs at least one --key-id');
    const noOut = await run(['prepare', '--key-id', 'k']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('prepare needs --out FILE');
    expect(existsSync(join(cwd, 'r.json'))).toBe(false);
  });
  it('refuses unknown wrapping settings and duplicate keys', async () => {
    const alg = await run([
      'prepare',
      '--key-id',
      'k',
      '--out',
      'r.json',
      '--wrapping-algorithm',
      'RSAES_PKCS1_V1_5',
    ]);
    expect(alg.code).toBe(2);
    expect(alg.stderr).toContain('unknown --wrapping-algorithm RSAES_PKCS1_V1_5');
    const wks = await run([
      'prepare',
      '--key-id',
      'k',
      '--out',
      'r.json',
      '--wrapping-key-spec',
      'SM2',
    ]);
    expect(wks.code).toBe(2);
    const dup = await run(['prepare', '--key-id', 'k', '--key-id', 'k', '--out', 'r.json']);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('--key-id k is given twice');
    expect(existsSync(join(cwd, 'r.json'))).toBe(false);
  });
});

describe('import refuses bad arguments before opening files', () => {
  const bundle = [
    'import',
    '--request',
    'missing-request.json',
    '--wrapped',
    'missing-wrapped.json',
  ];
  const two = ['--operator', 'ALICE', '--operator', 'BOB'];
  it('refuses raw and bundle flags together', async () => {
    const raw = ['--key-id', 'k', '--import-token', 't.bin', '--encrypted-key-material', 'm.bin'];
    const r = await run([...bundle, ...raw, ...two]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --key-id cannot be combined with --request');
    expect(r.stderr).toContain('hint: ');
    const sub = await run(['import', 'raw', ...raw, '--check-code', 'X']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('error: --key-id cannot be combined with --check-code');
  });
  it('refuses DOES_NOT_EXPIRE with --valid-to, and a --valid-to in the past', async () => {
    const future = new Date(Date.now() + 86_400_000 * 30).toISOString();
    const dne = await run([
      ...bundle,
      ...two,
      '--expiration-model',
      'KEY_MATERIAL_DOES_NOT_EXPIRE',
      '--valid-to',
      future,
    ]);
    expect(dne.code).toBe(2);
    expect(dne.stderr).toContain(
      '--valid-to cannot go with --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE',
    );
    const past = await run([...bundle, ...two, '--valid-to', '2020-01-01T00:00:00Z']);
    expect(past.code).toBe(2);
    expect(past.stderr).toContain('--valid-to 2020-01-01T00:00:00Z is in the past');
    expect(past.stderr).toContain('hint:');
  });
  it('enforces the two-person rule', async () => {
    const one = await run([...bundle, '--operator', 'ALICE', '--check-code', 'X']);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain('two operators are required, got 1');
    const same = await run([...bundle, '--operator', 'ALICE', '--operator', 'ALICE']);
    expect(same.stderr).toContain('the same operator is named twice');
  });
  it('refuses without check codes when there is no terminal to ask on', async () => {
    const r = await run([...bundle, ...two]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: no --check-code given and no terminal to ask on');
    const count = await run([...bundle, ...two, '--check-code', 'AAAA-AAAA-AAAA-AAAA-AAAA']);
    expect(count.stderr).toContain('2 operator(s) but 1 --check-code value(s)');
  });
  it('raw mode needs all three raw flags and no check codes', async () => {
    const r = await run(['import', '--key-id', 'k', '--import-token', 't.bin']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --key-id needs --encrypted-key-material');
    const sub = await run(['import', 'raw', '--key-id', 'k']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('error: missing --import-token, --encrypted-key-material');
  });
});

describe('usage failures yargs finds are said in our error + hint form', () => {
  const RAW_YARGS =
    /Implications failed|Missing dependent arguments|Invalid values|Unknown argument|mutually exclusive|Missing required argument|Not enough/;

  it('--original-record without --reimport names both flags', async () => {
    const r = await run(['prepare', '--key-id', 'k', '--out', 'r.json', '--original-record', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^byok-online: error: --original-record needs --reimport$/m);
    expect(r.stderr).toMatch(/^byok-online: hint: Add --reimport, or leave out --original-record/m);
    expect(r.stderr).not.toMatch(RAW_YARGS);
  });

  it.each([
    [['create-key', '--bogus'], /unknown option\(s\) or argument\(s\): bogus/],
    [['import', '--scan', 'd', '--wrapped', 'w.json'], /--scan cannot be combined with --wrapped/],
    [['import', 'raw', '--key-id', 'k'], /missing --import-token, --encrypted-key-material/],
  ])('%j', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^byok-online: hint: /m);
    expect(r.stderr).not.toMatch(RAW_YARGS);
  });
});

describe('pure option handling', () => {
  it('endpoint precedence: --endpoint-url > AWS_ENDPOINT_URL_KMS > AWS_ENDPOINT_URL', () => {
    const env = {
      AWS_ENDPOINT_URL_KMS: 'https://kms.local:1',
      AWS_ENDPOINT_URL: 'http://127.0.0.2:2',
    };
    expect(resolveEndpointUrl('http://localhost:3', env)).toBe('http://localhost:3');
    expect(resolveEndpointUrl(undefined, env)).toBe('https://kms.local:1');
    expect(resolveEndpointUrl(undefined, { AWS_ENDPOINT_URL: 'http://127.0.0.2:2' })).toBe(
      'http://127.0.0.2:2',
    );
    expect(resolveEndpointUrl(undefined, {})).toBeUndefined();
    expect(() => resolveEndpointUrl('ftp://x', {})).toThrow(/not http/);
  });
  it('aliases, tags and expiration', () => {
    expect(normalizeAlias('payments/prod')).toBe('alias/payments/prod');
    expect(normalizeAlias('alias/x')).toBe('alias/x');
    expect(() => normalizeAlias('bad name')).toThrow(/letters, digits/);
    expect(parseTags(['a=b', 'c=']).map((t) => `${t.key}:${t.value}`)).toEqual(['a:b', 'c:']);
    expect(() => parseTags(['a=1', 'a=2'])).toThrow(/given twice/);
    expect(() => parseTags(['aws:x=1'])).toThrow(/reserved/);
    const now = new Date('2026-01-01T00:00:00Z');
    expect(resolveExpiration(undefined, undefined, now)).toEqual({
      expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      validTo: undefined,
    });
    expect(resolveExpiration(undefined, '2026-06-01T00:00:00Z', now).expirationModel).toBe(
      'KEY_MATERIAL_EXPIRES',
    );
    expect(() => resolveExpiration(undefined, '2027-01-02T00:00:01Z', now)).toThrow(/365 days/);
    expect(() => resolveExpiration('KEY_MATERIAL_EXPIRES', undefined, now)).toThrow(
      /needs --valid-to/,
    );
  });
  it('material groups: one per key, shared by the Regions of one multi-Region key', () => {
    expect(
      assignMaterialGroups([
        { arn: 'arn:aws:kms:eu-west-2:1:key/mrk-a', multiRegion: true },
        { arn: 'arn:aws:kms:eu-west-2:1:key/b', multiRegion: false },
        { arn: 'arn:aws:kms:us-east-1:1:key/mrk-a', multiRegion: true },
        // The same mrk- id in another account is another key: never the same material.
        { arn: 'arn:aws:kms:us-east-1:2:key/mrk-a', multiRegion: true },
      ]),
    ).toEqual(['k1', 'k2', 'k1', 'k3']);
  });
});
