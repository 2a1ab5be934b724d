import { writeFileSync } from 'node:fs';
import { headCodeOf } from '@byok-ceremony/shared';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendFiller,
  ceremonyLogs,
  forgeTail,
  logHead,
  operatorKey,
  unsignedAs,
} from '../../shared/test/audit/fixture-logs.js';
import { runCli, tempDir } from './helpers/run-cli.js';

function write(dir: string, name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

describe('byok-offline audit verify', () => {
  it('verifies the offline log alone and both logs together', async () => {
    const dir = tempDir();
    const logs = ceremonyLogs();
    write(dir, 'offline.jsonl', logs.offline);
    write(dir, 'online.jsonl', logs.online);
    // The fixture is unsigned: the heads from the paper record anchor its wrap and import.
    const offlineHead = ['--expect-head', logHead(logs.offline)];
    const onlineHead = ['--expect-head', logHead(logs.online)];
    const alone = await runCli(['audit', 'verify', 'offline.jsonl', ...offlineHead], dir);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('info: the interlock between the two machines was not checked');
    const both = await runCli(
      ['audit', 'verify', 'offline.jsonl', 'online.jsonl', ...offlineHead, ...onlineHead, '--json'],
      dir,
    );
    expect(both.code).toBe(0);
    expect(JSON.parse(both.stdout)).toMatchObject({
      ok: true,
      runs: [{ wrap: { file: 'offline.jsonl', line: 2 } }],
    });
  });

  it('says UNANCHORED, exit 3, for honest logs that neither pinned keys nor heads anchor', async () => {
    const dir = tempDir();
    const logs = ceremonyLogs();
    write(dir, 'offline.jsonl', logs.offline);
    write(dir, 'online.jsonl', logs.online);
    const r = await runCli(['audit', 'verify', 'offline.jsonl', 'online.jsonl'], dir);
    expect(r.code).toBe(3);
    expect(r.stdout).not.toContain('VERIFIED');
    expect(r.stdout).toMatch(/^UNANCHORED: 2 wrap\/import line\(s\) covered by no anchor/m);
    expect(r.stdout).toContain('error: no anchor was given');
    expect(r.stdout).toContain('error: offline.jsonl:2: line 2 (wrap) is covered by no anchor');
    expect(r.stdout).toContain('error: online.jsonl:3: line 3 (import) is covered by no anchor');
    expect(r.stderr).toContain('byok-offline: error: the audit log(s) are UNANCHORED');
    expect(r.stderr).toMatch(/byok-offline: hint: Pin the operators' keys with --operator-pubkey/);
    expect(r.stderr).toContain('--expect-head HEAD-CODE or --paper-record FILE');
    const json = await runCli(['audit', 'verify', 'offline.jsonl', 'online.jsonl', '--json'], dir);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      verdict: 'UNANCHORED',
      anchors: [],
    });
  });

  it('accepts head codes and a paper-record file, and refuses forged logs with them', async () => {
    const dir = tempDir();
    const logs = ceremonyLogs();
    write(dir, 'offline.jsonl', logs.offline);
    write(dir, 'online.jsonl', logs.online);
    const heads = await runCli(['audit', 'head', 'online.jsonl', 'offline.jsonl'], dir);
    const codes = [...heads.stdout.matchAll(/paper record: (byok-\S+ head (\S+))$/gm)];
    expect(codes).toHaveLength(2);
    const byCode = await runCli(
      [
        'audit',
        'verify',
        'offline.jsonl',
        'online.jsonl',
        ...codes.flatMap((c) => ['--expect-head', c[2]!.toLowerCase()]),
      ],
      dir,
    );
    expect(byCode.code, byCode.stderr).toBe(0);
    expect(byCode.stdout).toMatch(/^VERIFIED: 2 log\(s\)/m);
    // The witness types the paper record into a file, as audit head printed it.
    write(
      dir,
      'paper.txt',
      `byok-ceremony paper record v1\n${codes.map((c) => c[1]).join('\n')}\n`,
    );
    const byFile = await runCli(
      ['audit', 'verify', 'offline.jsonl', 'online.jsonl', '--paper-record', 'paper.txt'],
      dir,
    );
    expect(byFile.code, byFile.stderr).toBe(0);
    expect(byFile.stdout).toContain('the head of online.jsonl (paper.txt:2)');
    // A log that gained a line no longer ends at the recorded head: FAILED, exit 1.
    write(dir, 'online.jsonl', logs.online + logs.online.split('\n')[0]! + '\n');
    const grown = await runCli(
      ['audit', 'verify', 'offline.jsonl', 'online.jsonl', '--paper-record', 'paper.txt'],
      dir,
    );
    expect(grown.code).toBe(1);
    expect(grown.stdout).toMatch(/^FAILED: /m);
    expect(grown.stdout).toContain('no byok-online log ends at the head');
    write(dir, 'bad.txt', 'heads: 1234\n');
    const bad = await runCli(
      ['audit', 'verify', 'offline.jsonl', '--paper-record', 'bad.txt'],
      dir,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.txt is not a paper record');
  });

  it('refuses two rewritten logs whose filler lines name each other, with and without heads', async () => {
    const dir = tempDir();
    const honest = ceremonyLogs();
    const offline = forgeTail(honest.offline, 1, unsignedAs(['MALLORY', 'EVE']));
    const online = forgeTail(
      honest.online.split('\n').slice(0, 3).join('\n') + '\n',
      2,
      unsignedAs(['MALLORY', 'EVE']),
    );
    write(dir, 'online.jsonl', appendFiller(online, logHead(offline)));
    write(dir, 'offline.jsonl', appendFiller(offline, logHead(online)));
    const bare = await runCli(['audit', 'verify', 'online.jsonl', 'offline.jsonl'], dir);
    expect(bare.code).toBe(3);
    expect(bare.stdout).toMatch(/^UNANCHORED: /m);
    expect(bare.stdout).not.toContain('VERIFIED');
    const realHeads = [logHead(honest.online), logHead(honest.offline)].flatMap((h) => [
      '--expect-head',
      headCodeOf(h),
    ]);
    const anchored = await runCli(
      ['audit', 'verify', 'online.jsonl', 'offline.jsonl', ...realHeads],
      dir,
    );
    expect(anchored.code).toBe(1);
    expect(anchored.stdout).toMatch(/^FAILED: /m);
    expect(anchored.stdout).toContain('no log ends at the head');
  });

  it('names the edited line in stdout, in the error and in --json, and exits 1', async () => {
    const dir = tempDir();
    const lines = ceremonyLogs().offline.split('\n');
    lines[0] = lines[0]!.replace('"operators":[]', '"operators":["EVE"]');
    write(dir, 'offline.jsonl', lines.join('\n'));
    const r = await runCli(['audit', 'verify', 'offline.jsonl'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error: offline.jsonl:1: line 1 was edited');
    expect(r.stderr).toContain('byok-offline: error: the audit log(s) failed verification');
    expect(r.stderr).toContain('byok-offline:   offline.jsonl:1: line 1 was edited');
    expect(r.stderr).toContain('byok-offline: hint: ');
    const json = await runCli(['audit', 'verify', 'offline.jsonl', '--json'], dir);
    const out = JSON.parse(json.stdout) as {
      ok: boolean;
      findings: { code: string; line: number }[];
    };
    expect(out.ok).toBe(false);
    expect(out.findings).toContainEqual(expect.objectContaining({ code: 'line-edited', line: 1 }));
  });

  it('pins operator keys from public key files', async () => {
    const dir = tempDir();
    const alice = operatorKey('ALICE');
    const bob = operatorKey('BOB');
    const logs = ceremonyLogs({ signers: [alice.signer, bob.signer] });
    write(dir, 'offline.jsonl', logs.offline);
    for (const [name, key] of [
      ['alice', alice],
      ['bob', bob],
    ] as const)
      write(
        dir,
        `${name}.pub.json`,
        JSON.stringify({
          format: 'byok-ceremony/operator-public-key',
          version: 1,
          name: name.toUpperCase(),
          publicKey: key.publicKey,
        }),
      );
    const pinned = ['--operator-pubkey', 'alice.pub.json', '--operator-pubkey', 'bob.pub.json'];
    expect((await runCli(['audit', 'verify', 'offline.jsonl', ...pinned], dir)).code).toBe(0);
    write(dir, 'unsigned.jsonl', ceremonyLogs().offline);
    const unsigned = await runCli(['audit', 'verify', 'unsigned.jsonl', ...pinned], dir);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toContain('has no signature by ALICE, whose operator key is pinned');
  });

  it('prints each log head for the paper record, without verifying', async () => {
    const dir = tempDir();
    const logs = ceremonyLogs();
    write(dir, 'offline.jsonl', logs.offline);
    write(dir, 'empty.jsonl', '');
    const r = await runCli(['audit', 'head', 'offline.jsonl'], dir);
    expect(r.code).toBe(0);
    const code = headCodeOf(logHead(logs.offline));
    expect(r.stdout).toBe(
      `offline.jsonl: head ${logHead(logs.offline)} (2 line(s), byok-offline)\n` +
        `  paper record: byok-offline head ${code}\n`,
    );
    const json = await runCli(['audit', 'head', 'offline.jsonl', '--json'], dir);
    expect(JSON.parse(json.stdout)).toEqual({
      logs: [
        {
          file: 'offline.jsonl',
          tool: 'byok-offline',
          lineCount: 2,
          head: logHead(logs.offline),
          headCode: code,
        },
      ],
    });
    const empty = await runCli(['audit', 'head', 'empty.jsonl'], dir);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('the audit log empty.jsonl has no entries');
  });

  it('refuses a bad --expect-head and a missing log', async () => {
    const dir = tempDir();
    const head = await runCli(['audit', 'verify', 'x.jsonl', '--expect-head', 'nothex'], dir);
    expect(head.code).toBe(2);
    expect(head.stderr).toContain('is not a log head');
    expect(head.stderr).toContain('hint: Give a head as audit head prints it');
    // A bundle check code is five groups: never taken for a head code.
    const check = await runCli(
      ['audit', 'verify', 'x.jsonl', '--expect-head', 'Q9W1-AAAA-BBBB-CCCC-DDDD'],
      dir,
    );
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('That is a bundle check code (5 groups)');
    const missing = await runCli(['audit', 'verify', 'x.jsonl'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read the audit log x.jsonl');
  });
});
