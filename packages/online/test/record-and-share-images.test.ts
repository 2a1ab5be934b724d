import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeQrPng, renderQrMatrix } from '@byok-ceremony/node-io/qr-encode';
import { carry } from './helpers/ceremony-driver.js';
import { simForThisFile } from './helpers/sim-env.js';
import { Ceremony, OFFLINE_OPS } from './lifecycle/ceremony-steps.js';

// One ceremony as the witness sees it: keys named by alias, a Shamir and age backup, the
// material deleted and brought back from PNG renderings of the printed share pages; then the
// record (aliases, the backup scheme, the split-id, one custody row per share and age file)
// and status beside the KCV on record.

const s = simForThisFile();

const confirm = (code: string): string[] => ['--check-code', code, '--check-code', code];
const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** The share page as a witness's machine shows it, the whole page in one PNG (nothing cropped). */
function screenshot(dir: string, page: string, png: string): void {
  execFileSync(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      '--force-device-scale-factor=2',
      '--window-size=900,2400',
      `--user-data-dir=${join(dir, 'chromium')}`,
      `--screenshot=${png}`,
      `file://${page}`,
    ],
    { stdio: 'ignore' },
  );
}

/** The share page's own QR images, one PNG file each, as the page embeds and prints them. */
async function pageImages(page: string, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const html = await readFile(page, 'utf8');
  const pngs = [...html.matchAll(/src="data:image\/png;base64,([^"]+)"/g)];
  const files: string[] = [];
  for (const [i, m] of pngs.entries()) {
    const file = join(dir, `part-${i + 1}.png`);
    await writeFile(file, Buffer.from(m[1]!, 'base64'), { mode: 0o600 });
    files.push(file);
  }
  return files;
}

describe('the record the witness checks, and paper shares read back', () => {
  it(
    'recovers from share page PNGs through a re-import; the record lists aliases, the backup and each share',
    { timeout: 0 },
    async () => {
      const c = await Ceremony.start(s);
      const arnA = await c.createKey(['--key-spec', 'SYMMETRIC_DEFAULT', '--alias', 'payments-a']);
      const arnB = await c.createKey(['--key-spec', 'ECC_NIST_P256']);
      const recipients: string[] = [];
      for (const name of ['r1.key', 'r2.key']) {
        execFileSync('age-keygen', ['-o', join(c.offlineDir, name)], { stdio: 'ignore' });
        recipients.push(
          execFileSync('age-keygen', ['-y', join(c.offlineDir, name)])
            .toString()
            .trim(),
        );
      }

      // Another split of other material, never imported: its shares must not mix with the first.
      const other = await c.prepare('other.json', ['--key-id', arnA, '--key-id', arnB]);
      await c.wrap('other.json', other.checkCode, 'other-wrapped.json', [
        '--backup',
        'shamir:2-of-3',
        '--backup-dir',
        'other-backup',
      ]);
      // Key A by its alias: the record names it so.
      const prep = await c.prepare('first.json', [
        '--key-id',
        'alias/payments-a',
        '--key-id',
        arnB,
      ]);
      const wrappedCode = await c.wrap('first.json', prep.checkCode, 'first-wrapped.json', [
        '--backup',
        'shamir:2-of-3',
        ...recipients.flatMap((r) => ['--backup', `age:${r}`]),
        '--backup-dir',
        'backup',
      ]);
      const first = await c.import<{
        keys: { keyArn: string; keyMaterialId: string; kcv: string }[];
      }>('first.json', 'first-wrapped.json', wrappedCode);
      for (const arn of [arnA, arnB])
        expect((await c.operated(['delete-material', '--key-id', arn])).code).toBe(0);

      // Share 1 as a screenshot of its whole page; share 3 as its page's QR images, a folder.
      const backup = join(c.offlineDir, 'backup');
      const shot = join(c.offlineDir, 'scans', 'share-1.png');
      await mkdir(join(c.offlineDir, 'scans'));
      screenshot(c.offlineDir, join(backup, 'share-1-of-3.html'), shot);
      const parts3 = await pageImages(
        join(backup, 'share-3-of-3.html'),
        join(c.offlineDir, 'share-3'),
      );
      expect(parts3.length).toBeGreaterThan(1);
      // An independent decoder sees every code of share 1 on the screenshot.
      const zbar = execFileSync('zbarimg', ['-q', shot]).toString();
      const share1 = await readFile(join(backup, 'share-1-of-3.txt'), 'utf8');
      expect(zbar.match(/QR-Code:byok-share-part \d+\/\d+/g)?.length).toBe(
        (await pageImages(join(backup, 'share-1-of-3.html'), join(c.offlineDir, 'share-1'))).length,
      );

      const re = await c.prepare('re.json', ['--key-id', arnA, '--key-id', arnB, '--reimport']);
      const recover = (shares: readonly string[]) =>
        c.offline([
          'recover',
          '--shares',
          ...shares,
          '--request',
          're.json',
          '--out',
          're-wrapped.json',
          ...OFFLINE_OPS,
          ...confirm(re.checkCode),
          '--json',
        ]);

      // A scan others can read is refused like a share file others can read.
      const open = await recover(['scans', 'share-3']);
      expect(open.code).not.toBe(0);
      expect(open.stderr).toContain(`share image ${shot} can be read or written by others`);
      await chmod(shot, 0o600);

      // Refused, each with a hint: no share in the image, a partial share, a share of another split.
      const ticket = join(c.offlineDir, 'ticket.png');
      await writeFile(ticket, encodeQrPng(renderQrMatrix('https://example.com/ticket')), {
        mode: 0o600,
      });
      const otherShare = await pageImages(
        join(c.offlineDir, 'other-backup', 'share-2-of-3.html'),
        join(c.offlineDir, 'other-2'),
      );
      const refusals: [readonly string[], string][] = [
        [['scans', 'ticket.png'], 'ticket.png: its 1 QR code(s) hold no part of a share'],
        [['scans', parts3[0]!], `${parts3[0]!}: a partial share: QR part(s) 2`],
        // The other split's material was made for another request: another ceremony id.
        [['scans', ...otherShare], `${otherShare.join(', ')} is a share of ceremony`],
      ];
      for (const [shares, message] of refusals) {
        const r = await recover(shares);
        expect(r.code, r.stderr).not.toBe(0);
        expect(r.stderr).toMatch(/^byok-offline: error: /m);
        expect(r.stderr).toContain(message);
        expect(r.stderr).toMatch(/^byok-offline: hint: /m);
        expect(r.stderr).not.toContain('    at ');
        expect((await readdir(c.offlineDir)).includes('re-wrapped.json')).toBe(false);
      }

      const recovered = await recover(['scans', 'share-3']);
      expect(recovered.code, recovered.stderr).toBe(0);
      await carry(c.offlineDir, c.onlineDir, ['re-wrapped.json']);
      const back = await c.import<{ keys: { keyArn: string; keyMaterialId: string }[] }>(
        're.json',
        're-wrapped.json',
        (JSON.parse(recovered.stdout) as { checkCode: string }).checkCode,
      );
      expect(back.keys.map((k) => k.keyMaterialId)).toEqual(first.keys.map((k) => k.keyMaterialId));
      expect((await c.verifyLogs()).verdict).toBe('VERIFIED');

      // The record: aliases beside ARNs, the scheme, the split-id, a custody row per share and age file.
      const logs = [
        join(c.onlineDir, 'byok-online-audit.jsonl'),
        join(c.offlineDir, 'byok-offline-audit.jsonl'),
      ];
      const heads = JSON.parse((await c.online(['audit', 'head', ...logs, '--json'])).stdout) as {
        logs: { head: string }[];
      };
      const record = await c.online([
        'report',
        ...logs.flatMap((l) => ['--log', l]),
        ...heads.logs.flatMap((l) => ['--expect-head', l.head]),
        '--out',
        'record.md',
      ]);
      expect(record.code, record.stderr).toBe(0);
      const md = await readFile(join(c.onlineDir, 'record.md'), 'utf8');
      expect(md).toContain(`| **\`alias/payments-a\`** | \`${arnA}\` |`);
      expect(md).toMatch(new RegExp(`\\| – \\| \`${arnB}\` \\|`));
      expect(md).toContain('**Shamir 2-of-3 over the material set; age to 2 recipients**');
      const splitId = /^split-id: ([0-9a-f]{32})$/m.exec(share1)![1]!;
      expect(md).toContain(`split-id \`${splitId}\``);
      expect(md).toContain('recovered from Shamir shares 1, 3 of 3 \\(threshold 2\\)');
      for (const i of [1, 2, 3]) {
        const digest = sha256(await readFile(join(backup, `share-${i}-of-3.txt`)));
        expect(md).toContain(
          `| share ${i} of 3 \\(share-${i}-of-3.txt and its page\\) split-id \`${splitId}\` | \`${digest}\` |`,
        );
      }
      const ageDigest = sha256(await readFile(join(backup, 'material-set.age')));
      expect(md).toContain(
        `| age file material-set.age \\(to 2 recipients\\) | \`${ageDigest}\` |`,
      );
      expect(md).not.toContain('Backup media, copy 1');

      // status beside the KCV on record, for step 7 of the runbook.
      const status = await c.online([
        'status',
        '--key-id',
        arnA,
        '--key-id',
        arnB,
        ...logs.flatMap((l) => ['--record', l]),
        '--json',
      ]);
      expect(status.code, status.stderr).toBe(0);
      const keys = (
        JSON.parse(status.stdout) as { keys: { keyArn: string; kcvOnRecord: string[] }[] }
      ).keys;
      expect(keys.map((k) => k.kcvOnRecord)).toEqual(first.keys.map((k) => [k.kcv]));
      const text = await c.online([
        'status',
        '--key-id',
        arnB,
        ...logs.flatMap((l) => ['--record', l]),
      ]);
      expect(text.stdout).toContain(`  KCV on record      ${first.keys[1]!.kcv}\n`);
    },
  );

  it('status --record refuses a log that is not intact before it asks KMS anything', async () => {
    const c = await Ceremony.start(s);
    await writeFile(join(c.onlineDir, 'edited.jsonl'), '{"seq":0,"edited":true}\n');
    const r = await c.online(['status', '--key-id', 'alias/none', '--record', 'edited.jsonl']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /^byok-online: error: the record edited\.jsonl is not an intact audit log \(1 problem\(s\)\)/m,
    );
    expect(r.stderr).toMatch(/^byok-online: hint: Give the ceremony's audit log as byok-online/m);
    // Refused first: an alias that does not exist would otherwise be KMS's NotFoundException.
    expect(r.stderr).not.toContain('NotFound');
  });
});
