import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  bundleDigest,
  checkCodeOf,
  formatComponentFile,
  parseComponentFile,
  parseMaterialSet,
  serializeMaterialSet,
  type ImportRequestBundle,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import { nodeSha256 } from '../../src/ops/node-sha256.js';
import { materialKcv } from '../../src/ops/material-kcv.js';
import { importRequest, wrappingKeyPair, type TargetOptions } from '../helpers/request-fixture.js';
import { subsets } from '../helpers/material-set-fixture.js';
import { runCli, tempDir, type CliResult } from '../helpers/run-cli.js';
import { unwrapBlob } from '../helpers/unwrap.js';

const THREE_KEYS: TargetOptions[] = [
  { keySpec: 'SYMMETRIC_DEFAULT' },
  { keySpec: 'HMAC_256' },
  { keySpec: 'ECC_NIST_P256' },
];

const both = (request: ImportRequestBundle): string[] => {
  const code = checkCodeOf(bundleDigest(request));
  return ['--operator', 'ALICE', '--check-code', code, '--operator', 'BOB', '--check-code', code];
};

/** A new request (new ceremony, new wrapping keys) for the same keys, as a fresh prepare writes. */
function sameKeys(request: ImportRequestBundle): ImportRequestBundle {
  const fresh = importRequest(
    request.targets.map((t, i) => ({ keySpec: t.keySpec, keyArn: t.keyArn, slot: i + 10 })),
  );
  return { ...fresh, targets: fresh.targets.map((t, i) => ({ ...t, materialGroup: `g${i}` })) };
}

function put(dir: string, name: string, value: unknown): string {
  writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
  return name;
}

function kcvsOf(dir: string, name: string): string[] {
  return (JSON.parse(readFileSync(join(dir, name), 'utf8')) as WrappedKeyBundle).materials.map(
    (m) => m.kcv,
  );
}

function lastEntry(dir: string): Record<string, unknown> {
  const lines = readFileSync(join(dir, 'byok-offline-audit.jsonl'), 'utf8').trim().split('\n');
  return JSON.parse(lines.at(-1)!) as Record<string, unknown>;
}

/** A refusal: exit 1, coded error and hint, no --out, the failure logged. */
function expectRefusal(dir: string, result: CliResult, code: string, message: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(new RegExp(`^byok-offline: error: .*${message.source}`, 'm'));
  expect(result.stderr).toMatch(/^byok-offline: hint: /m);
  expect(existsSync(join(dir, 'out.json'))).toBe(false);
  expect(lastEntry(dir)).toMatchObject({ outcome: 'error', error: { code } });
}

async function wrapWithBackups(
  backups: string[],
): Promise<{ dir: string; request: ImportRequestBundle; kcvs: string[] }> {
  const dir = tempDir();
  const request = importRequest(THREE_KEYS);
  put(dir, 'request.json', request);
  const args = backups.flatMap((b) => ['--backup', b]);
  const r = await runCli(
    [
      'wrap',
      '--request',
      'request.json',
      '--out',
      'wrapped.json',
      ...args,
      '--backup-dir',
      'backup',
      ...both(request),
    ],
    dir,
  );
  expect(r.code, r.stderr).toBe(0);
  return { dir, request, kcvs: kcvsOf(dir, 'wrapped.json') };
}

describe('wrap --backup and recover through the CLI', () => {
  it('shamir:3-of-5: every qualifying subset recovers every KCV for a new request; two shares are refused', async () => {
    const { dir, request, kcvs } = await wrapWithBackups(['shamir:3-of-5']);
    const shares = [1, 2, 3, 4, 5].map((n) => join('backup', `share-${n}-of-5.txt`));
    for (const [i, subset] of [...subsets(shares, 3), ...subsets(shares, 4), shares].entries()) {
      const next = sameKeys(request);
      put(dir, `next-${i}.json`, next);
      const r = await runCli(
        [
          'recover',
          '--shares',
          ...subset,
          '--request',
          `next-${i}.json`,
          '--out',
          `rec-${i}.json`,
          ...both(next),
        ],
        dir,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(kcvsOf(dir, `rec-${i}.json`)).toEqual(kcvs);
    }
    const entry = lastEntry(dir);
    expect(entry).toMatchObject({
      command: 'recover',
      outcome: 'ok',
      backup: { schemes: ['recover:shamir'] },
    });
    const next = sameKeys(request);
    put(dir, 'few.json', next);
    const few = await runCli(
      [
        'recover',
        '--shares',
        shares[0]!,
        shares[4]!,
        '--request',
        'few.json',
        '--out',
        'out.json',
        ...both(next),
      ],
      dir,
    );
    expectRefusal(
      dir,
      few,
      'ERR_SHARES_MISMATCH',
      /2 share\(s\) given, but this split needs 3 of 5/,
    );
  });

  it("refuses another ceremony's share, a duplicated share, a corrupted share and a wrong age identity, writing nothing", async () => {
    const recipientKey = join(tempDir(), 'key.txt');
    execFileSync('age-keygen', ['-o', recipientKey], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', recipientKey]).toString().trim();
    const { dir, request } = await wrapWithBackups(['shamir:2-of-3', `age:${recipient}`]);
    const other = await wrapWithBackups(['shamir:2-of-3']);
    const next = sameKeys(request);
    put(dir, 'next.json', next);
    const recover = (args: string[]): Promise<CliResult> =>
      runCli(
        ['recover', ...args, '--request', 'next.json', '--out', 'out.json', ...both(next)],
        dir,
      );

    const foreign = join(other.dir, 'backup', 'share-2-of-3.txt');
    expectRefusal(
      dir,
      await recover(['--shares', 'backup/share-1-of-3.txt', foreign]),
      'ERR_SHARES_MISMATCH',
      /is a share of ceremony .* but .* is of ceremony/,
    );
    expectRefusal(
      dir,
      await recover(['--shares', 'backup/share-1-of-3.txt', 'backup/share-1-of-3.txt']),
      'ERR_SHARES_MISMATCH',
      /is the same share as/,
    );

    const text = readFileSync(join(dir, 'backup', 'share-2-of-3.txt'), 'utf8');
    const at = text.indexOf('data:\n') + 10;
    writeFileSync(
      join(dir, 'corrupt.txt'),
      text.slice(0, at) + (text[at] === 'x' ? 'y' : 'x') + text.slice(at + 1),
      { mode: 0o600 },
    );
    expectRefusal(
      dir,
      await recover(['--shares', 'backup/share-1-of-3.txt', 'corrupt.txt']),
      'ERR_SHARE_INVALID',
      /corrupt\.txt: the share file fails its check/,
    );

    const mallory = join(dir, 'mallory.txt');
    execFileSync('age-keygen', ['-o', mallory], { stdio: 'ignore' });
    expectRefusal(
      dir,
      await recover(['--age', 'backup/material-set.age', '--identity', 'mallory.txt']),
      'ERR_AGE',
      /cannot be decrypted with the identity given/,
    );

    // A request for other keys finds no material in the set.
    const stranger = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }]);
    put(dir, 'stranger.json', stranger);
    const r = await runCli(
      [
        'recover',
        '--shares',
        'backup/share-1-of-3.txt',
        'backup/share-3-of-3.txt',
        '--request',
        'stranger.json',
        '--out',
        'out.json',
        ...both(stranger),
      ],
      dir,
    );
    expectRefusal(dir, r, 'ERR_BUNDLE_MISMATCH', /no material of the set .* is for/);

    // The age identity of the recipient opens it.
    const ok = await recover(['--age', 'backup/material-set.age', '--identity', recipientKey]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('generated material needs --backup-dir with --backup; a failed wrap leaves no backup behind', async () => {
    const dir = tempDir();
    const request = importRequest([
      { keySpec: 'SYMMETRIC_DEFAULT', validTo: new Date('2026-11-29T09:00:00Z') },
    ]);
    put(dir, 'request.json', request);
    const noDir = await runCli(
      [
        'wrap',
        '--request',
        'request.json',
        '--out',
        'out.json',
        '--backup',
        'shamir:2-of-3',
        ...both(request),
      ],
      dir,
    );
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/--backup needs --backup-dir/);
    // Expired parameters: refused after the backup folder was made; the folder goes too.
    const expired = await runCli(
      [
        'wrap',
        '--request',
        'request.json',
        '--out',
        'out.json',
        '--backup',
        'shamir:2-of-3',
        '--backup-dir',
        'backup',
        ...both(request),
      ],
      dir,
    );
    expect(expired.code).toBe(1);
    expect(existsSync(join(dir, 'backup'))).toBe(false);
  });
});

describe('wrap --material-set', () => {
  async function setup(): Promise<{
    dir: string;
    next: ImportRequestBundle;
    set: ReturnType<typeof parseMaterialSet>;
  }> {
    const recipientKey = join(tempDir(), 'key.txt');
    execFileSync('age-keygen', ['-o', recipientKey], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', recipientKey]).toString().trim();
    const { dir, request } = await wrapWithBackups([`age:${recipient}`]);
    const plain = execFileSync('age', [
      '-d',
      '-i',
      recipientKey,
      join(dir, 'backup', 'material-set.age'),
    ]).toString();
    const next = sameKeys(request);
    put(dir, 'next.json', next);
    return { dir, next, set: parseMaterialSet(plain) };
  }
  const wrapSet = (dir: string, next: ImportRequestBundle): Promise<CliResult> =>
    runCli(
      [
        'wrap',
        '--request',
        'next.json',
        '--material-set',
        'set.json',
        '--out',
        'out.json',
        ...both(next),
      ],
      dir,
    );

  it('wraps a decrypted set for any number of keys', async () => {
    const { dir, next, set } = await setup();
    writeFileSync(join(dir, 'set.json'), serializeMaterialSet(set), { mode: 0o600 });
    const r = await wrapSet(dir, next);
    expect(r.code, r.stderr).toBe(0);
    expect(kcvsOf(dir, 'out.json')).toEqual(set.groups.map((g) => g.kcv));
  });

  it('refuses a KCV that does not match, a PKCS#8 key of the wrong curve and a world-readable set', async () => {
    const { dir, next, set } = await setup();
    const forged = {
      ...set,
      groups: set.groups.map((g, i) =>
        i === 0 ? { ...g, kcv: g.kcv === '000000' ? '111111' : '000000' } : g,
      ),
    };
    writeFileSync(join(dir, 'set.json'), serializeMaterialSet(forged), { mode: 0o600 });
    expectRefusal(
      dir,
      await wrapSet(dir, next),
      'ERR_MATERIAL_SET_INVALID',
      /material group k?\S+: the material's KCV is/,
    );

    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({
      format: 'der',
      type: 'pkcs8',
    });
    const curve = {
      ...set,
      groups: set.groups.map((g) => (g.keySpec === 'ECC_NIST_P256' ? { ...g, material: k1 } : g)),
    };
    writeFileSync(join(dir, 'set.json'), serializeMaterialSet(curve), { flag: 'w', mode: 0o600 });
    expectRefusal(
      dir,
      await wrapSet(dir, next),
      'ERR_MATERIAL_SET_INVALID',
      /holds a ec key on secp256k1; ECC_NIST_P256 needs an EC key on prime256v1/,
    );

    writeFileSync(join(dir, 'set.json'), serializeMaterialSet(set));
    chmodSync(join(dir, 'set.json'), 0o644);
    expectRefusal(
      dir,
      await wrapSet(dir, next),
      'ERR_MATERIAL_PERMISSIONS',
      /material set .*set\.json can be read or written by others \(mode 644\)/,
    );
  });
});

describe('components new and wrap --components', () => {
  it('3 custodians: the forms combine to the key KCV; a wrong component is caught by its own KCV; a short one is refused', async () => {
    const dir = tempDir();
    const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }, { keySpec: 'HMAC_256' }]);
    put(dir, 'request.json', request);
    const made = await runCli(
      [
        'components',
        'new',
        '--custodians',
        '3',
        '--request',
        'request.json',
        '--out-dir',
        'forms',
        '--json',
      ],
      dir,
    );
    expect(made.code, made.stderr).toBe(0);
    const out = JSON.parse(made.stdout) as {
      groups: { materialGroup: string; keyKcv: string; files: { name: string }[] }[];
    };
    const files = out.groups.flatMap((g) => g.files.map((f) => join('forms', f.name)));
    expect(files).toHaveLength(6);
    const wrap = (componentFiles: string[], out = 'out.json'): Promise<CliResult> =>
      runCli(
        [
          'wrap',
          '--request',
          'request.json',
          '--out',
          out,
          '--components',
          '3',
          ...componentFiles.flatMap((f) => ['--component-file', f]),
          ...both(request),
        ],
        dir,
      );
    const ok = await wrap(files);
    expect(ok.code, ok.stderr).toBe(0);
    expect(kcvsOf(dir, 'out.json')).toEqual(out.groups.map((g) => g.keyKcv));
    const bundle = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as WrappedKeyBundle;
    expect(bundle.materials.map((m) => m.source)).toEqual(['components', 'components']);
    // The combined key really is what was wrapped.
    const material = unwrapBlob(
      Buffer.from(bundle.targets[0]!.encryptedKeyMaterial, 'base64'),
      wrappingKeyPair(2048, 0).privateKey,
      request.targets[0]!.wrappingAlgorithm,
    );
    expect(materialKcv('SYMMETRIC_DEFAULT', material)).toBe(out.groups[0]!.keyKcv);

    // A custodian's component altered (its file's check recomputed): its own KCV catches it.
    const form = parseComponentFile(readFileSync(join(dir, files[1]!), 'latin1'), nodeSha256);
    form.component[0]! ^= 1;
    writeFileSync(join(dir, 'altered.txt'), formatComponentFile(form, nodeSha256), { mode: 0o600 });
    const altered = await wrap([files[0]!, 'altered.txt', ...files.slice(2)], 'out2.json');
    expect(altered.code).toBe(1);
    expect(altered.stderr).toMatch(
      /error: component 2 \(.*altered\.txt\)'s component has KCV [0-9A-F]{6}, not /,
    );
    expect(existsSync(join(dir, 'out2.json'))).toBe(false);

    const short = formatComponentFile({ ...form, component: randomBytes(31) }, nodeSha256);
    writeFileSync(join(dir, 'short.txt'), short, { mode: 0o600 });
    const r = await runCli(
      [
        'wrap',
        '--request',
        'request.json',
        '--out',
        'short.json',
        '--components',
        '3',
        '--component-file',
        'short.txt',
        ...files.slice(1).flatMap((f) => ['--component-file', f]),
        ...both(request),
      ],
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /short\.txt: SYMMETRIC_DEFAULT components are 32 bytes \(64 hex digits\), got 31/,
    );
    expect(existsSync(join(dir, 'short.json'))).toBe(false);
  });
});

describe('wrap --components typed (piped here; at a terminal in e2e/components-typed-pty.test.ts)', () => {
  it('asks for the key KCV after the components, and refuses a missing or malformed one before combining', async () => {
    const dir = tempDir();
    const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }]);
    put(dir, 'request.json', request);
    const made = await runCli(
      ['components', 'new', '--custodians', '2', '--request', 'request.json', '--out-dir', 'forms'],
      dir,
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('the custodians type it together');
    const group = request.targets[0]!.materialGroup;
    const forms = [1, 2].map((i) =>
      parseComponentFile(
        readFileSync(join(dir, 'forms', `component-${group}-${i}-of-2.txt`), 'latin1'),
        nodeSha256,
      ),
    );
    const typed = forms.flatMap((f) => [Buffer.from(f.component).toString('hex'), f.componentKcv]);
    const wrap = (lines: string[]): Promise<CliResult> =>
      runCli(
        [
          'wrap',
          '--request',
          'request.json',
          '--out',
          'out.json',
          '--components',
          '2',
          ...both(request),
        ],
        dir,
        { stdinLines: lines },
      );
    const missing = await wrap(typed);
    expectRefusal(
      dir,
      missing,
      'ERR_COMPONENT_INVALID',
      /input ended before the key KCV was typed/,
    );
    expect(missing.stderr).toContain(`All custodians of ${group}: type the key KCV from the forms`);
    const malformed = await wrap([...typed, '12345']);
    expectRefusal(
      dir,
      malformed,
      'ERR_COMPONENT_INVALID',
      new RegExp(`the key KCV typed for ${group} is not six hex digits`),
    );
    const ok = await wrap([...typed, forms[0]!.keyKcv.toLowerCase()]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(kcvsOf(dir, 'out.json')).toEqual([forms[0]!.keyKcv]);
  });
});

describe('components new for a re-import request', () => {
  it('refuses to make new material for groups that must re-import the original, as wrap does', async () => {
    const dir = tempDir();
    const base = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }]);
    // Version 2, EXISTING_KEY_MATERIAL of a named material, no KCV pinned (no --expect-kcv given).
    put(dir, 'request.json', {
      ...base,
      version: 2,
      targets: base.targets.map((t) => ({
        ...t,
        importType: 'EXISTING_KEY_MATERIAL',
        keyMaterialId: 'c'.repeat(64),
        expectedKcv: null,
      })),
    });
    const made = await runCli(
      ['components', 'new', '--custodians', '2', '--request', 'request.json', '--out-dir', 'forms'],
      dir,
    );
    // New components are new material: KMS takes only the original back into this key.
    // ERR_USAGE, as wrap refuses generating for such a request: exit 2.
    expect(made.code, made.stderr).toBe(2);
    expect(made.stderr).toContain(
      `error: the request re-imports existing material into ${base.targets[0]!.keyArn}: new material would be refused by KMS`,
    );
    expect(made.stderr).toMatch(/^byok-offline: hint: components new makes new material/m);
    expect(existsSync(join(dir, 'forms'))).toBe(false);
  });
});

describe('wrap --console-zip (raw mode)', () => {
  it('wraps under the public key of the console zip, in both layouts', async () => {
    const { publicKey, privateKey } = wrappingKeyPair(2048, 3);
    const der = publicKey.export({ format: 'der', type: 'spki' });
    for (const files of [
      {
        'WrappingPublicKey.bin': der,
        'ImportToken.bin': randomBytes(900),
        'README.txt': new Uint8Array(4),
      },
      {
        wrappingKey_abc: der,
        importToken_abc: randomBytes(900),
        'README_abc.txt': new Uint8Array(4),
      },
    ]) {
      const dir = tempDir();
      writeFileSync(join(dir, 'params.zip'), zipSync(files));
      const material = randomBytes(32);
      writeFileSync(join(dir, 'material.bin'), material, { mode: 0o600 });
      const r = await runCli(
        [
          'wrap',
          '--console-zip',
          'params.zip',
          '--wrapping-algorithm',
          'RSAES_OAEP_SHA_256',
          '--material-file',
          'material.bin',
          '--out',
          'blob.bin',
          '--operator',
          'ALICE',
          '--operator',
          'BOB',
        ],
        dir,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(
        unwrapBlob(readFileSync(join(dir, 'blob.bin')), privateKey, 'RSAES_OAEP_SHA_256').equals(
          material,
        ),
      ).toBe(true);
    }
  });
});
