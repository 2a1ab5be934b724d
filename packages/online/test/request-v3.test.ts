import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeKeyCommand, ListKeyRotationsCommand } from '@aws-sdk/client-kms';
import {
  bundleDigest,
  checkCodeOf,
  type ImportRequestBundle,
  type ImportTokensFile,
} from '@byok-ceremony/shared';
import { describe, expect, it } from 'vitest';
import { keyIdFlags, type ImportResult } from '../../../test/ceremony/driver.mjs';
import { carry, expectTranscriptVerified } from './helpers/ceremony-driver.js';
import { simForThisFile } from './helpers/sim-env.js';
import { Ceremony } from './lifecycle/ceremony-steps.js';

const s = simForThisFile();

const sha256Hex = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

interface LoggedEntry {
  readonly command: string;
  readonly outcome: string;
  readonly inputs: Record<string, string>;
  readonly outputs: Record<string, string>;
}

async function onlineLog(c: Ceremony): Promise<LoggedEntry[]> {
  const text = await readFile(join(c.onlineDir, 'byok-online-audit.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LoggedEntry);
}

async function keyState(arn: string): Promise<string | undefined> {
  return (await s.kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.KeyState;
}

async function materialDescriptions(arn: string): Promise<(string | undefined)[]> {
  const listed = await s.kms.send(
    new ListKeyRotationsCommand({ KeyId: arn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
  );
  return (listed.Rotations ?? []).map((r) => r.KeyMaterialDescription);
}

const readJson = async <T>(path: string): Promise<T> =>
  JSON.parse(await readFile(path, 'utf8')) as T;

describe('import request version 3: the tokens stay online, their hashes cross', () => {
  it('prepare keeps the tokens beside the request, wrap never sees them, import sets KeyMaterialDescription', async () => {
    const c = await Ceremony.start(s);
    const arns = [await c.createKey(), await c.createKey(['--key-spec', 'HMAC_256'])];
    const prepared = await c.prepare('request.json', keyIdFlags(arns));

    // What crosses: version 3, a hash per target, no token; the tokens file stays online.
    const request = await readJson<ImportRequestBundle>(join(c.offlineDir, 'request.json'));
    const offlineText = await readFile(join(c.offlineDir, 'request.json'), 'utf8');
    const kept = await readJson<ImportTokensFile>(join(c.onlineDir, 'request.json.tokens.json'));
    expect(request.version).toBe(3);
    expect(request.planDigest).toBeNull();
    expect(request.ceremonyName).toBeNull();
    expect(offlineText).not.toContain('importToken"');
    expect(await readdir(c.offlineDir)).toEqual(['request.json']);
    expect(kept.format).toBe('byok-ceremony/import-tokens');
    expect(kept.requestDigest).toBe(bundleDigest(request));
    expect(kept.tokens.map((t) => t.keyArn)).toEqual(arns);
    for (const [i, t] of kept.tokens.entries()) {
      expect(offlineText).not.toContain(t.importToken.slice(0, 40));
      expect(request.targets[i]!.importTokenSha256).toBe(
        sha256Hex(Buffer.from(t.importToken, 'base64')),
      );
    }
    // The code the operators type binds the hashes, so it binds the tokens kept online.
    expect(prepared.checkCode).toBe(checkCodeOf(bundleDigest(request)));

    const inspect = await c.offline(['inspect', '--request', 'request.json', '--json']);
    expect(inspect.code, inspect.stderr).toBe(0);
    const wrappedCode = await c.wrap('request.json', prepared.checkCode, 'wrapped.json');
    const result = await c.import<ImportResult>('request.json', 'wrapped.json', wrappedCode);
    expect(result.keys.map((k) => [k.keyArn, k.keyState])).toEqual([
      [arns[0], 'Enabled'],
      [arns[1], 'Enabled'],
    ]);

    // KMS takes a description for symmetric encryption keys only: the HMAC key has none.
    expect(await materialDescriptions(arns[0]!)).toEqual([`byok-ceremony ${request.ceremonyId}`]);
    const status = await c.online(['status', '--key-id', arns[0]!, '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`"description":"byok-ceremony ${request.ceremonyId}"`);
    const text = await c.online(['status', '--key-id', arns[0]!]);
    expect(text.stdout).toContain(`      description byok-ceremony ${request.ceremonyId}`);

    // Both files prepare wrote, and the tokens file import read, are on record by digest.
    const tokensDigest = sha256Hex(await readFile(join(c.onlineDir, 'request.json.tokens.json')));
    const log = await onlineLog(c);
    const prep = log.find((e) => e.command === 'prepare')!;
    const imp = log.find((e) => e.command === 'import' && e.outcome === 'ok')!;
    expect(prep.outputs['tokensFile']).toBe(tokensDigest);
    expect(prep.outputs['requestFile']).toBe(
      sha256Hex(await readFile(join(c.onlineDir, 'request.json'))),
    );
    expect(imp.inputs['tokensFile']).toBe(tokensDigest);
    await expectTranscriptVerified(c);
  });

  it('import refuses a missing, swapped or edited tokens file before any check code, with a hint', async () => {
    const c = await Ceremony.start(s);
    const arn = await c.createKey();
    const prepared = await c.prepare('request.json', keyIdFlags([arn]));
    const wrappedCode = await c.wrap('request.json', prepared.checkCode, 'wrapped.json');
    const tokensPath = join(c.onlineDir, 'request.json.tokens.json');
    const original = await readFile(tokensPath);

    const refusal = async (needle: string): Promise<void> => {
      const r = await c.importRaw('request.json', 'wrapped.json', wrappedCode);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('byok-online: error: ');
      expect(r.stderr).toContain(needle);
      expect(r.stderr).toMatch(
        /byok-online: hint: prepare wrote the import tokens beside the request as REQUEST\.tokens\.json/,
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(await keyState(arn)).toBe('PendingImport');
      expect(existsSync(join(c.onlineDir, 'request.json.journal.jsonl'))).toBe(false);
    };

    await rename(tokensPath, join(c.onlineDir, 'aside.json'));
    await refusal(
      'carries only the hashes of its import tokens, and the tokens file beside it cannot be read',
    );

    // Another request's tokens (a second prepare of the same key) under this request's name.
    const other = await c.online([
      'prepare',
      '--out',
      'other.json',
      '--key-id',
      arn,
      '--operator',
      'ALICE',
      '--operator',
      'BOB',
    ]);
    expect(other.code, other.stderr).toBe(0);
    await rename(join(c.onlineDir, 'other.json.tokens.json'), tokensPath);
    await refusal('belongs to another request');

    // This request's file with one token replaced by the other prepare's token for the key.
    const otherTokens = await readJson<ImportTokensFile>(tokensPath);
    const edited = JSON.parse(original.toString('utf8')) as ImportTokensFile;
    await writeFile(
      tokensPath,
      JSON.stringify({
        ...edited,
        tokens: [{ ...edited.tokens[0]!, importToken: otherTokens.tokens[0]!.importToken }],
      }),
    );
    await refusal(`the token for ${arn} is not the one whose SHA-256 the request carries`);

    // The file prepare wrote, put back: the import goes through.
    await writeFile(tokensPath, original);
    const result = await c.import<ImportResult>('request.json', 'wrapped.json', wrappedCode);
    expect(result.keys.map((k) => k.keyState)).toEqual(['Enabled']);
    const log = await onlineLog(c);
    expect(log.filter((e) => e.command === 'import').map((e) => e.outcome)).toEqual([
      'error',
      'error',
      'error',
      'ok',
    ]);
  });

  it('a version 2 request, tokens inside, is still wrapped and imported without a tokens file', async () => {
    const c = await Ceremony.start(s);
    const arn = await c.createKey();
    await c.prepare('request.json', keyIdFlags([arn]));
    const v3 = await readJson<ImportRequestBundle>(join(c.onlineDir, 'request.json'));
    const kept = await readJson<ImportTokensFile>(join(c.onlineDir, 'request.json.tokens.json'));
    // The request an earlier release wrote for the same parameters.
    const v2 = {
      ...v3,
      version: 2,
      targets: v3.targets.map((t, i) => ({ ...t, importToken: kept.tokens[i]!.importToken })),
    } as Record<string, unknown> & { targets: Record<string, unknown>[] };
    delete v2['planDigest'];
    delete v2['ceremonyName'];
    for (const t of v2.targets) delete t['importTokenSha256'];
    const v2Digest = bundleDigest(v2 as unknown as ImportRequestBundle);
    await writeFile(join(c.onlineDir, 'v2.json'), `${JSON.stringify(v2, null, 2)}\n`);
    await carry(c.onlineDir, c.offlineDir, ['v2.json']);
    const wrappedCode = await c.wrap('v2.json', checkCodeOf(v2Digest), 'w2.json');
    const result = await c.import<ImportResult>('v2.json', 'w2.json', wrappedCode);
    expect(result.keys.map((k) => [k.keyArn, k.keyState])).toEqual([[arn, 'Enabled']]);
    expect(existsSync(join(c.onlineDir, 'v2.json.tokens.json'))).toBe(false);
    expect(await materialDescriptions(arn)).toEqual([`byok-ceremony ${v3.ceremonyId}`]);
    const imp = (await onlineLog(c)).find((e) => e.command === 'import' && e.outcome === 'ok')!;
    expect(imp.inputs['tokensFile']).toBeUndefined();
  });
});
