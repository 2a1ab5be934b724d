import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain, type AuditRecord } from '@byok-ceremony/shared';
import { appendAuditEntry, readAuditLogPosition } from '../../src/io/audit-log.js';

const RECORD: AuditRecord = {
  command: 'status',
  operators: [],
  exceptions: [],
  inputs: {},
  outputs: {},
  checkCodes: {},
  keys: [],
  kmsRequestIds: [],
  peerLogHead: null,
  outcome: 'ok',
  error: null,
};
const META = { time: '2026-11-28T10:00:00Z', tool: 'byok-online', toolVersion: '0.1.0' };

function logFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'byok-audit-log-')), 'audit.jsonl');
}

describe('appendAuditEntry', () => {
  it('appends chained lines to a new and to an intact log', async () => {
    const path = logFile();
    const first = await appendAuditEntry(path, RECORD, META);
    await appendAuditEntry(path, RECORD, META);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1]!)).toMatchObject({ seq: 1, prev: first });
    expect(await readAuditLogPosition(path)).toMatchObject({ seq: 2 });
  });

  it('refuses to append to a log whose last line was cut off, and leaves it as it is', async () => {
    for (const damage of [(l: string) => l.slice(0, 40), (l: string) => `${l.slice(0, 40)}\n`]) {
      const path = logFile();
      await appendAuditEntry(path, RECORD, META);
      const intact = readFileSync(path, 'utf8');
      const damaged = intact + damage(intact);
      writeFileSync(path, damaged);
      const refused = appendAuditEntry(path, RECORD, META);
      await expect(refused).rejects.toMatchObject({
        code: 'ERR_AUDIT_LOG',
        message: expect.stringContaining(`the audit log ${path} ends in a cut-off line (line 2`),
        hint: expect.stringContaining('continue in a new log with --audit-log NEW'),
      });
      expect(readFileSync(path, 'utf8')).toBe(damaged);
    }
  });

  it('refuses to append after a last line with a key given twice', async () => {
    const path = logFile();
    await appendAuditEntry(path, RECORD, META);
    const intact = readFileSync(path, 'utf8');
    const forged = `${intact}${intact.trimEnd().replace('"outcome":"ok"', '"outcome":"error","outcome":"ok"')}\n`;
    writeFileSync(path, forged);
    await expect(readAuditLogPosition(path)).rejects.toMatchObject({
      code: 'ERR_AUDIT_LOG',
      message: expect.stringContaining('(line 2 is not JSON)'),
    });
    expect(readFileSync(path, 'utf8')).toBe(forged);
  });

  it('refuses a log that ends without a line end even when the line is whole', async () => {
    const path = logFile();
    await appendAuditEntry(path, RECORD, META);
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, -1));
    await expect(readAuditLogPosition(path)).rejects.toMatchObject({ code: 'ERR_AUDIT_LOG' });
  });
});

describe('appendAuditEntry against hostile paths and concurrent commands', () => {
  it('refuses a dangling symbolic link at the log path and writes nothing through it', async () => {
    const path = logFile();
    const target = join(dirname(path), 'elsewhere', 'redirected.jsonl');
    mkdirSync(dirname(target));
    symlinkSync(target, path);
    await expect(appendAuditEntry(path, RECORD, META)).rejects.toMatchObject({
      code: 'ERR_AUDIT_LOG',
      message: `the audit log ${path} is a symbolic link: it is not followed, nothing was written`,
      hint: expect.stringContaining('never a link') as unknown,
    });
    await expect(readAuditLogPosition(path)).rejects.toMatchObject({ code: 'ERR_AUDIT_LOG' });
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dirname(path)).sort()).toEqual(['audit.jsonl', 'elsewhere']);
  });

  it('refuses a symbolic link to an existing log, leaving the log as it is', async () => {
    const real = logFile();
    await appendAuditEntry(real, RECORD, META);
    const before = readFileSync(real, 'utf8');
    const path = join(dirname(real), 'link.jsonl');
    symlinkSync(real, path);
    await expect(appendAuditEntry(path, RECORD, META)).rejects.toMatchObject({
      code: 'ERR_AUDIT_LOG',
    });
    expect(readFileSync(real, 'utf8')).toBe(before);
  });

  it('refuses a FIFO at the log path without blocking', async () => {
    const path = logFile();
    const made = spawn('mkfifo', [path]);
    await new Promise((resolve) => made.on('close', resolve));
    await expect(appendAuditEntry(path, RECORD, META)).rejects.toMatchObject({
      code: 'ERR_AUDIT_LOG',
      message: expect.stringContaining('not a regular file') as unknown,
    });
  });

  it('chains many concurrent appends from separate processes into one valid log', async () => {
    const path = logFile();
    const module = fileURLToPath(new URL('../../dist/io/audit-log.js', import.meta.url));
    const script = `
      const { appendAuditEntry } = await import(${JSON.stringify(module)});
      const [path, who] = process.argv.slice(1);
      for (let i = 0; i < 5; i++)
        await appendAuditEntry(path, { ...${JSON.stringify(RECORD)}, operators: [who] }, ${JSON.stringify(META)});
    `;
    const children = Array.from({ length: 8 }, (_, i) =>
      spawn(process.execPath, ['--input-type=module', '-e', script, path, `P${i}`], {
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );
    const results = await Promise.all(
      children.map(
        (child) =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            child.on('close', (code) => resolve({ code, stderr }));
          }),
      ),
    );
    expect(results).toEqual(children.map(() => ({ code: 0, stderr: '' })));
    const text = readFileSync(path, 'utf8');
    const chain = verifyAuditChain('audit.jsonl', text);
    expect(chain.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(40);
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
