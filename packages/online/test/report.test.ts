import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCodeOf, formatFingerprint, headCodeOf } from '@byok-ceremony/shared';
import {
  REQUEST,
  WRAPPED,
  ceremonyLogs,
  logHead,
  operatorKey,
} from '../../shared/test/audit/fixture-logs.js';
import { runOnline } from './helpers/run-online.js';

function logsDir(options: Parameters<typeof ceremonyLogs>[0] = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'byok-report-'));
  const logs = ceremonyLogs(options);
  writeFileSync(join(dir, 'online.jsonl'), logs.online);
  writeFileSync(join(dir, 'offline.jsonl'), logs.offline);
  return dir;
}
const LOGS = ['--log', 'online.jsonl', '--log', 'offline.jsonl'];
/** The heads of the logs in `dir`, as the paper record has them: they anchor the unsigned fixture. */
function heads(dir: string): string[] {
  return ['online.jsonl', 'offline.jsonl'].flatMap((log) => [
    '--expect-head',
    logHead(readFileSync(join(dir, log), 'utf8')),
  ]);
}

function chromium(): string | undefined {
  for (const bin of ['chromium', 'chromium-browser']) {
    if (spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0) return bin;
  }
  return undefined;
}
const browser = chromium();
const skipChromium = browser === undefined && process.env['CI'] === undefined;
const hasPoppler = spawnSync('pdfinfo', ['-v'], { encoding: 'utf8' }).status === 0;
const skipPoppler = skipChromium || (!hasPoppler && process.env['CI'] === undefined);

/**
 * A print takes about 2 s here; the bound only stops a Chromium that hangs, and is far above what
 * a loaded machine can delay.
 */
const CHROMIUM_BOUND_MS = 600_000;

/** Prints an HTML file to PDF as a witness's machine would, with Chromium's own header and footer off. */
function printToPdf(cwd: string, html: string): string {
  const pdf = join(cwd, html.replace(/\.html$/, '.pdf'));
  execFileSync(
    browser!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${join(cwd, 'chromium')}`,
      `--print-to-pdf=${pdf}`,
      '--no-pdf-header-footer',
      `file://${join(cwd, html)}`,
    ],
    { stdio: 'ignore', timeout: CHROMIUM_BOUND_MS },
  );
  return pdf;
}

/** The text of one PDF page, by poppler's pdftotext, one printed line per line. */
function pageText(pdf: string, page: number): string {
  return execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), pdf, '-'], {
    encoding: 'utf8',
  });
}

describe('byok-online report', () => {
  it('writes a self-contained HTML record with the verdict, values, exceptions and signature lines', async () => {
    const cwd = logsDir({ wrapOperators: ['ALICE'], wrapExceptions: ['single-operator'] });
    const r = await runOnline(
      ['report', ...LOGS, ...heads(cwd), '--out', 'report.html', '--witness', 'WENDY'],
      { cwd },
    );
    expect(r.stderr).toContain('wrote the ceremony record');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`VERIFIED ${join(cwd, 'report.html')}\n`);
    const html = readFileSync(join(cwd, 'report.html'), 'utf8');
    expect(html).toContain('VERIFIED: the audit logs are intact');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toContain('<script');
    for (const value of [
      'ABC123',
      'DEF456',
      'Enabled',
      'WENDY',
      'single-operator',
      'Ceremony administrator',
    ])
      expect(html).toContain(value);
  });

  it("shows each online step's KMS endpoint and Region, and flags a non-default endpoint on top", async () => {
    const aws = logsDir({
      kms: { endpoint: null, region: 'eu-west-1', accounts: ['111122223333'] },
    });
    expect(
      (await runOnline(['report', ...LOGS, ...heads(aws), '--out', 'r.html'], { cwd: aws })).code,
    ).toBe(0);
    const real = readFileSync(join(aws, 'r.html'), 'utf8');
    expect(real).toContain('KMS: Region eu-west-1, account 111122223333, AWS default endpoint');
    expect(real).not.toContain('REHEARSAL/NON-AWS ENDPOINT');

    const sim = logsDir({
      kms: { endpoint: 'http://127.0.0.1:4599', region: 'eu-west-1', accounts: ['111122223333'] },
    });
    for (const out of ['r.html', 'r.md'])
      expect(
        (await runOnline(['report', ...LOGS, ...heads(sim), '--out', out], { cwd: sim })).code,
      ).toBe(0);
    const html = readFileSync(join(sim, 'r.html'), 'utf8');
    expect(html).toMatch(
      /<div class="verdict failed">REHEARSAL\/NON-AWS ENDPOINT: <span class="mono">http:\/\/127\.0\.0\.1:4599<\/span>/,
    );
    // Per step: create-key, prepare and import.
    expect(
      html.split(
        'KMS: Region eu-west-1, account 111122223333, REHEARSAL/NON-AWS ENDPOINT: http://127.0.0.1:4599',
      ),
    ).toHaveLength(4);
    const md = readFileSync(join(sim, 'r.md'), 'utf8');
    expect(md).toContain('> **REHEARSAL/NON-AWS ENDPOINT**: `http://127.0.0.1:4599`');
    expect(md).toContain(
      '**KMS: Region eu-west-1, account 111122223333, REHEARSAL/NON-AWS ENDPOINT: http://127.0.0.1:4599**',
    );
  });

  it('names each key by its alias beside its ARN, and the backup: scheme, split-id, a custody row per share and age file', async () => {
    const splitId = '38d0d818c2d3e664796822c734b4acbf';
    const digest = (n: number): string => n.toString(16).repeat(64).slice(0, 64);
    const cwd = logsDir({
      aliases: true,
      backup: {
        schemes: ['shamir:3-of-5', `age:age1${'q'.repeat(58)}`, `age:age1${'p'.repeat(58)}`],
        setDigest: 'd'.repeat(64),
        splitId,
        shares: [1, 2, 3, 4, 5].map((index) => ({
          index,
          count: 5,
          threshold: 3,
          sha256: digest(index),
        })),
        files: [
          ...[1, 2, 3, 4, 5].flatMap((i) => [
            { name: `share-${i}-of-5.txt`, sha256: digest(i) },
            { name: `share-${i}-of-5.html`, sha256: digest(i + 5) },
          ]),
          { name: 'material-set.age', sha256: 'f'.repeat(64) },
        ],
        covers: [
          { materialGroup: 'a', keySpec: 'SYMMETRIC_DEFAULT', kcv: 'ABC123' },
          { materialGroup: 'b', keySpec: 'HMAC_256', kcv: 'DEF456' },
        ],
      },
    });
    for (const out of ['r.html', 'r.md']) {
      const r = await runOnline(['report', ...LOGS, ...heads(cwd), '--out', out], { cwd });
      expect(r.code, r.stderr).toBe(0);
    }
    const html = readFileSync(join(cwd, 'r.html'), 'utf8');
    expect(html).toContain(
      '<tr><th>alias</th><td><strong class="mono">alias/key-1</strong></td><td class="tick"></td></tr><tr><th>key ARN</th><td><span class="mono">arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555</span>',
    );
    expect(html).toContain(
      '<strong>Shamir 3-of-5 over the material set; age to 2 recipients</strong>',
    );
    expect(html).toContain(`<span class="check">${splitId}</span>`);
    for (const i of [1, 2, 3, 4, 5])
      expect(html).toContain(
        `<td>share ${i} of 5 (share-${i}-of-5.txt and its page)<br>split-id <span class="mono">${splitId}</span></td><td><span class="mono">${digest(i).slice(0, 32)}</span><br><span class="mono">${digest(i).slice(32)}</span></td><td></td><td></td><td></td><td></td>`,
      );
    expect(html).toContain(
      `<td>age file material-set.age (to 2 recipients)</td><td><span class="mono">${'f'.repeat(32)}</span>`,
    );
    expect(html).not.toContain('Backup media, copy 1');
    const md = readFileSync(join(cwd, 'r.md'), 'utf8');
    expect(md).toContain(
      '| **`alias/key-2`** | `arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef` |',
    );
    expect(md).toContain(
      `- Made by step 4 (wrap): **Shamir 3-of-5 over the material set; age to 2 recipients**, split-id \`${splitId}\`, material set digest \`${'d'.repeat(64)}\`; holds a SYMMETRIC\\_DEFAULT KCV ABC123, b HMAC\\_256 KCV DEF456.`,
    );
    expect(md.match(/^\| share \d of 5 /gm)).toHaveLength(5);
    expect(md).toContain(
      `| age file material-set.age \\(to 2 recipients\\) | \`${'f'.repeat(64)}\` |`,
    );

    // A record of logs that name no backup keeps the generic backup rows.
    const old = logsDir();
    expect(
      (await runOnline(['report', ...LOGS, ...heads(old), '--out', 'r.md'], { cwd: old })).code,
    ).toBe(0);
    expect(readFileSync(join(old, 'r.md'), 'utf8')).toContain('| Backup media, copy 1 |');
  });

  it('writes Markdown by --format or by the file name', async () => {
    const cwd = logsDir();
    expect(
      (await runOnline(['report', ...LOGS, ...heads(cwd), '--out', 'r.md'], { cwd })).code,
    ).toBe(0);
    expect(readFileSync(join(cwd, 'r.md'), 'utf8')).toMatch(/^# Key ceremony record\n/);
    expect(
      (
        await runOnline(
          ['report', ...LOGS, ...heads(cwd), '--out', 'r.txt', '--format', 'md', '--json'],
          { cwd },
        )
      ).stdout,
    ).toContain('"format":"md"');
  });

  it('still writes the record of failed logs, with the failure on top, and exits 1', async () => {
    const cwd = logsDir({ keyState: 'PendingImport' });
    const r = await runOnline(['report', ...LOGS, '--out', 'report.html'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('byok-online: error: the audit log(s) failed verification');
    expect(readFileSync(join(cwd, 'report.html'), 'utf8')).toContain('VERIFICATION FAILED');
  });

  it('refuses to overwrite, and refuses a missing log before writing anything', async () => {
    const cwd = logsDir();
    writeFileSync(join(cwd, 'report.html'), 'keep me');
    const exists = await runOnline(['report', ...LOGS, '--out', 'report.html'], { cwd });
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain('already exists');
    expect(readFileSync(join(cwd, 'report.html'), 'utf8')).toBe('keep me');
    const missing = await runOnline(['report', '--log', 'nope.jsonl', '--out', 'new.html'], {
      cwd,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read the audit log nope.jsonl');
    expect(existsSync(join(cwd, 'new.html'))).toBe(false);
    const usage = await runOnline(['report', ...LOGS], { cwd });
    expect(usage.code).toBe(2);
  });

  it('says UNANCHORED, exit 3, when the logs are consistent but nothing anchors them', async () => {
    const cwd = logsDir();
    const r = await runOnline(['report', ...LOGS, '--out', 'report.html'], { cwd });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(`UNANCHORED ${join(cwd, 'report.html')}\n`);
    expect(r.stderr).toContain('byok-online: error: the audit log(s) are UNANCHORED');
    expect(r.stderr).toContain('byok-online: hint: Pin the operators');
    const html = readFileSync(join(cwd, 'report.html'), 'utf8');
    expect(html).toContain('UNANCHORED: nothing the verifier trusts covers every wrap and import');
    expect(html).not.toContain('intact, interlocked and complete');
    const md = await runOnline(['report', ...LOGS, '--out', 'report.md'], { cwd });
    expect(md.code).toBe(3);
    expect(readFileSync(join(cwd, 'report.md'), 'utf8')).not.toContain('VERIFIED');
  });

  it('escapes what it copies from the logs, in Markdown and in HTML', async () => {
    const hostile = '<img src=x onerror=alert(1)> *bold* _em_ [link](http://evil) `tick` | pipe';
    const cwd = logsDir({
      wrapOperators: ['ALICE', hostile],
      importError: { code: 'ERR_KMS', message: `${hostile}\n# heading` },
    });
    const md = await runOnline(['report', ...LOGS, ...heads(cwd), '--out', 'r.md'], { cwd });
    expect(md.code).toBe(1);
    const text = readFileSync(join(cwd, 'r.md'), 'utf8');
    expect(text).toContain(
      '&lt;img src=x onerror=alert\\(1\\)&gt; \\*bold\\* \\_em\\_ \\[link\\]\\(http://evil\\) \\`tick\\` \\| pipe',
    );
    for (const raw of ['<img', '*bold*', '_em_', '[link](', '`tick`', ' | pipe', '\n# heading'])
      expect(text, raw).not.toContain(raw);
    const html = await runOnline(['report', ...LOGS, ...heads(cwd), '--out', 'r.html'], { cwd });
    expect(html.code).toBe(1);
    const page = readFileSync(join(cwd, 'r.html'), 'utf8');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img');
  });

  it.skipIf(skipPoppler)(
    'prints one key on at most two A4 pages, each with the ceremony id, record digest and page N of M',
    async () => {
      expect(
        hasPoppler,
        'pdfinfo and pdftotext must be installed (apt-get install poppler-utils)',
      ).toBe(true);
      const alice = operatorKey('ALICE');
      const bob = operatorKey('BOB');
      const cwd = logsDir({
        singleKey: true,
        signers: [alice.signer, bob.signer],
        kms: { endpoint: 'http://127.0.0.1:4599', region: 'eu-west-1', accounts: ['111122223333'] },
      });
      const r = await runOnline(
        ['report', ...LOGS, ...heads(cwd), '--out', 'record.html', '--witness', 'WENDY'],
        { cwd },
      );
      expect(r.code, r.stderr).toBe(0);
      const pdf = printToPdf(cwd, 'record.html');
      const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
      const pages = Number(/^Pages:\s+(\d+)$/m.exec(info)![1]);
      expect(pages).toBeGreaterThanOrEqual(1);
      expect(pages).toBeLessThanOrEqual(2);
      expect(info).toMatch(/^Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)$/m);
      const html = readFileSync(join(cwd, 'record.html'), 'utf8');
      const ceremony = /ceremony (\S+), record digest (\S+)\)/.exec(html)!;
      expect(ceremony[1]).toBe(checkCodeOf(REQUEST));
      expect(ceremony[2]).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
      const texts = Array.from({ length: pages }, (_, i) => pageText(pdf, i + 1));
      texts.forEach((text, i) => {
        expect(text).toContain(`Ceremony ${ceremony[1]!} · record ${ceremony[2]!}`);
        expect(text).toContain(`page ${i + 1} of ${pages}`);
      });
      const all = texts.join('\n');
      // Codes and fingerprints as the screens show them, each whole on one printed line.
      const fingerprint = formatFingerprint(
        createHash('sha256').update(Buffer.from(alice.publicKey, 'base64')).digest('hex'),
      );
      for (const value of [
        checkCodeOf(REQUEST),
        checkCodeOf(WRAPPED),
        fingerprint,
        'ABC123',
        headCodeOf(logHead(readFileSync(join(cwd, 'online.jsonl'), 'utf8'))),
        logHead(readFileSync(join(cwd, 'offline.jsonl'), 'utf8')),
      ])
        expect(all, value).toContain(value);
      // The signature block and the statement it signs are on one page.
      const signing = texts.find((t) => t.includes('By signing, each person states'))!;
      expect(signing).toContain('Ceremony administrator');
      expect(signing).toContain('WENDY');
      expect(all).toContain('Tamper-evident bags and custody');
      expect(all).toContain('bag serial');
    },
  );

  it.skipIf(skipPoppler)(
    "never splits a key's block across pages, in a record whose keys fill several",
    async () => {
      const count = 16;
      const cwd = logsDir({ keyCount: count, aliases: true });
      const r = await runOnline(['report', ...LOGS, ...heads(cwd), '--out', 'keys.html'], { cwd });
      expect(r.code, r.stderr).toBe(0);
      const pdf = printToPdf(cwd, 'keys.html');
      const pages = Number(
        /^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1],
      );
      const texts = Array.from({ length: pages }, (_, i) => pageText(pdf, i + 1));
      const imports = readFileSync(join(cwd, 'online.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('"command":"import"'))
        .map(
          (l) =>
            JSON.parse(l) as { keys: { keyArn: string; kcv: string; keyMaterialId: string }[] },
        )[0]!.keys;
      expect(imports).toHaveLength(count);
      const pageOfKey = imports.map((key, i) => {
        // The block's first line and its last values: all on the one page that shows them.
        const on = texts.flatMap((t, p) => (t.includes(key.keyMaterialId) ? [p] : []));
        expect(on, `key ${i + 1}`).toHaveLength(1);
        const page = texts[on[0]!]!;
        expect(page).toMatch(new RegExp(`Key ${i + 1} · alias/key-${i + 1}\\b`));
        for (const value of [key.keyArn, key.kcv, 'final state / proof'])
          expect(page).toContain(value);
        return on[0]!;
      });
      // The keys do span pages, so the test could fail.
      expect(new Set(pageOfKey).size).toBeGreaterThan(1);
    },
  );

  it.skipIf(skipChromium)('renders in headless Chromium to a PDF', () => {
    expect(browser, 'chromium must be installed in CI (apt-get install chromium)').toBeDefined();
    const cwd = logsDir();
    return runOnline(
      ['report', ...LOGS, ...heads(cwd), '--out', 'report.html', '--witness', 'WENDY'],
      { cwd },
    ).then((r) => {
      expect(r.code).toBe(0);
      const pdf = join(cwd, 'report.pdf');
      execFileSync(
        browser!,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          `--user-data-dir=${join(cwd, 'chromium')}`,
          `--print-to-pdf=${pdf}`,
          '--no-pdf-header-footer',
          `file://${join(cwd, 'report.html')}`,
        ],
        { stdio: 'ignore', timeout: CHROMIUM_BOUND_MS },
      );
      const bytes = readFileSync(pdf);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(bytes.length).toBeGreaterThan(10_000);
      expect(
        (bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length,
      ).toBeGreaterThanOrEqual(1);
    });
  });
});
