import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteImportedKeyMaterialCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { parseMaterialSet } from '@byok-ceremony/shared';
import { OFFLINE_BIN, ONLINE_BIN, runChild, type CliResult } from './helpers/run-online.js';
import { simForThisFile } from './helpers/sim-env.js';

const s = simForThisFile();

const OPERATORS = ['--operator', 'ALICE', '--operator', 'BOB'];
const confirm = (code: string): string[] => ['--check-code', code, '--check-code', code];

interface ImportResult {
  keys: { keyArn: string; keyState: string; keyMaterialId: string; proven: boolean }[];
}

describe('custody: one wrap with Shamir and age backups, then recovery after the material is deleted', () => {
  it('3 keys, shamir:2-of-3 + age: every pair of shares brings every key back with the same KeyMaterialId', async () => {
    const online = (argv: string[]): Promise<CliResult> =>
      runChild(ONLINE_BIN, [...s.flags, ...argv], { cwd: onlineDir, env: s.env });
    const offline = (argv: string[]): Promise<CliResult> =>
      runChild(OFFLINE_BIN, argv, { cwd: offlineDir, env: s.env });
    const onlineDir = await mkdtemp(join(tmpdir(), 'byok-custody-online-'));
    const offlineDir = await mkdtemp(join(tmpdir(), 'byok-custody-offline-'));
    const carry = async (name: string, from: string, to: string): Promise<void> =>
      writeFile(join(to, name), await readFile(join(from, name)));

    const arns: string[] = [];
    for (const spec of ['SYMMETRIC_DEFAULT', 'HMAC_256', 'ECC_NIST_P256']) {
      const r = await online(['create-key', '--key-spec', spec, '--json']);
      expect(r.code, r.stderr).toBe(0);
      arns.push((JSON.parse(r.stdout) as { arn: string }).arn);
    }

    /** prepare → carry → wrap or recover → carry → import; returns import's result. */
    const ceremony = async (
      offlineArgs: (request: string) => string[],
      tag: string,
    ): Promise<ImportResult> => {
      const request = `request-${tag}.json`;
      const wrapped = `wrapped-${tag}.json`;
      const prep = await online([
        'prepare',
        ...arns.flatMap((a) => ['--key-id', a]),
        '--out',
        request,
        ...OPERATORS,
        '--json',
      ]);
      expect(prep.code, prep.stderr).toBe(0);
      const requestCode = (JSON.parse(prep.stdout) as { checkCode: string }).checkCode;
      await carry(request, onlineDir, offlineDir);
      const w = await offline([
        ...offlineArgs(request),
        '--out',
        wrapped,
        ...OPERATORS,
        ...confirm(requestCode),
        '--json',
      ]);
      expect(w.code, w.stderr).toBe(0);
      const wrappedCode = (JSON.parse(w.stdout) as { checkCode: string }).checkCode;
      await carry(wrapped, offlineDir, onlineDir);
      const imp = await online([
        'import',
        '--request',
        request,
        '--wrapped',
        wrapped,
        ...OPERATORS,
        ...confirm(wrappedCode),
        '--json',
      ]);
      expect(imp.code, imp.stderr).toBe(0);
      return JSON.parse(imp.stdout) as ImportResult;
    };

    const recipientKey = join(offlineDir, 'custodian-age.txt');
    execFileSync('age-keygen', ['-o', recipientKey], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', recipientKey]).toString().trim();

    const first = await ceremony(
      (request) => [
        'wrap',
        '--request',
        request,
        '--backup',
        'shamir:2-of-3',
        '--backup',
        `age:${recipient}`,
        '--backup-dir',
        'backup',
      ],
      'first',
    );
    expect(first.keys.map((k) => k.keyState)).toEqual(['Enabled', 'Enabled', 'Enabled']);
    const materialIds = first.keys.map((k) => k.keyMaterialId);

    // The backups: three shares, their pages and the age file, each 0600.
    const backupDir = join(offlineDir, 'backup');
    const names = (await readdir(backupDir)).sort();
    expect(names).toEqual([
      'material-set.age',
      'share-1-of-3.html',
      'share-1-of-3.txt',
      'share-2-of-3.html',
      'share-2-of-3.txt',
      'share-3-of-3.html',
      'share-3-of-3.txt',
    ]);
    for (const name of names)
      expect(((await stat(join(backupDir, name))).mode & 0o777).toString(8)).toBe('600');

    // The age CLI decrypts the age file to the documented material-set format.
    const plain = execFileSync('age', [
      '-d',
      '-i',
      recipientKey,
      join(backupDir, 'material-set.age'),
    ]).toString();
    const set = parseMaterialSet(plain);
    expect(set.groups.map((g) => [g.keySpec, g.keyArns])).toEqual([
      ['SYMMETRIC_DEFAULT', [arns[0]]],
      ['HMAC_256', [arns[1]]],
      ['ECC_NIST_P256', [arns[2]]],
    ]);

    // The wrap's audit entry names the scheme, the share labels and KCVs, never a share.
    const log = await readFile(join(offlineDir, 'byok-offline-audit.jsonl'), 'utf8');
    const entry = JSON.parse(log.trim().split('\n').at(-1)!) as {
      backup: { schemes: string[]; shares: unknown[]; covers: { kcv: string }[] };
    };
    expect(entry.backup.schemes).toEqual(['shamir:2-of-3', `age:${recipient}`]);
    // Each share with the SHA-256 of its file, the digest its custody row on the record shows.
    expect(entry.backup.shares).toEqual(
      await Promise.all(
        [1, 2, 3].map(async (index) => ({
          index,
          count: 3,
          threshold: 2,
          sha256: createHash('sha256')
            .update(await readFile(join(backupDir, `share-${index}-of-3.txt`)))
            .digest('hex'),
        })),
      ),
    );
    expect(entry.backup.covers.map((c) => c.kcv)).toEqual(set.groups.map((g) => g.kcv));
    for (const n of [1, 2, 3]) {
      const share = await readFile(join(backupDir, `share-${n}-of-3.txt`), 'utf8');
      const data = share.split('\n').slice(share.split('\n').indexOf('data:') + 1, -2);
      for (const line of data) expect(log).not.toContain(line);
    }

    for (const pair of [
      [1, 2],
      [1, 3],
      [2, 3],
    ]) {
      for (const arn of arns)
        await s.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: arn }));
      for (const arn of arns)
        expect(
          (await s.kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.KeyState,
        ).toBe('PendingImport');
      const again = await ceremony(
        (request) => [
          'recover',
          '--shares',
          ...pair.map((n) => join('backup', `share-${n}-of-3.txt`)),
          '--request',
          request,
        ],
        `shares-${pair.join('')}`,
      );
      expect(again.keys.map((k) => k.keyState)).toEqual(['Enabled', 'Enabled', 'Enabled']);
      expect(again.keys.map((k) => k.keyMaterialId)).toEqual(materialIds);
    }

    // And from the age file, with the custodian's identity.
    for (const arn of arns) await s.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: arn }));
    const fromAge = await ceremony(
      (request) => [
        'recover',
        '--age',
        join('backup', 'material-set.age'),
        '--identity',
        'custodian-age.txt',
        '--request',
        request,
      ],
      'age',
    );
    expect(fromAge.keys.map((k) => k.keyMaterialId)).toEqual(materialIds);

    // Fewer than the threshold: refused, nothing written, the keys untouched.
    const prep = await online([
      'prepare',
      ...arns.flatMap((a) => ['--key-id', a]),
      '--out',
      'request-one.json',
      ...OPERATORS,
      '--json',
    ]);
    await carry('request-one.json', onlineDir, offlineDir);
    const code = (JSON.parse(prep.stdout) as { checkCode: string }).checkCode;
    const one = await offline([
      'recover',
      '--shares',
      join('backup', 'share-2-of-3.txt'),
      '--request',
      'request-one.json',
      '--out',
      'one.json',
      ...OPERATORS,
      ...confirm(code),
    ]);
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(
      /^byok-offline: error: 1 share\(s\) given, but this split needs 2 of 3$/m,
    );
    await expect(stat(join(offlineDir, 'one.json'))).rejects.toThrow();
  });
});
