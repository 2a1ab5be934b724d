import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '@byok-ceremony/shared';
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
