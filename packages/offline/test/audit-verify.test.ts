import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ceremonyLogs, logHead, operatorKey } from '../../shared/test/audit/fixture-logs.js';
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

  it('fails a wrap and an import that neither pinned keys nor expected heads anchor', async () => {
    const dir = tempDir();
    const logs = ceremonyLogs();
    write(dir, 'offline.jsonl', logs.offline);
    write(dir, 'online.jsonl', logs.online);
    const r = await runCli(['audit', 'verify', 'offline.jsonl', 'online.jsonl'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('VERIFIED');
    expect(r.stdout).toContain('error: offline.jsonl:2: line 2 (wrap) is anchored by nothing');
    expect(r.stdout).toContain('error: online.jsonl:3: line 3 (import) is anchored by nothing');
    expect(r.stderr).toContain('byok-offline: error: the audit log(s) failed verification');
    expect(r.stderr).toMatch(/byok-offline: hint: Pin the operators' keys with --operator-pubkey/);
    expect(r.stderr).toContain('--expect-head');
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
    expect(r.stdout).toBe(
      `offline.jsonl: head ${logHead(logs.offline)} (2 line(s), byok-offline)\n`,
    );
    const json = await runCli(['audit', 'head', 'offline.jsonl', '--json'], dir);
    expect(JSON.parse(json.stdout)).toEqual({
      logs: [
        { file: 'offline.jsonl', tool: 'byok-offline', lineCount: 2, head: logHead(logs.offline) },
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
    const missing = await runCli(['audit', 'verify', 'x.jsonl'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read the audit log x.jsonl');
  });
});
