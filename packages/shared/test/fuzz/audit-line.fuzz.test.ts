import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEntryProblems } from '../../src/audit/audit-entry-problems.js';
import { nextAuditEntryLine } from '../../src/audit/chain.js';
import type { AuditRecord } from '../../src/audit/record.js';
import { verifyAuditChain } from '../../src/audit/verify-chain.js';
import { ceremonyLogs } from '../audit/fixture-logs.js';
import { check, hostileValue, mutationsOf } from './properties.js';

const { online } = ceremonyLogs();
const lines = online.trimEnd().split('\n');
const entry = JSON.parse(lines[1]!) as Record<string, unknown>;

const META = { time: '2026-11-29T09:00:00Z', tool: 'byok-online', toolVersion: '0.1.0' };

describe('audit lines (fuzz)', () => {
  it('round-trip: entries written by nextAuditEntryLine verify as one chain', () => {
    const record = fc.record({
      command: fc.constantFrom('status', 'inspect', 'create-key'),
      operators: fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9 .'_@-]{0,20}$/), {
        maxLength: 3,
      }),
      message: fc.option(fc.string({ unit: 'binary', maxLength: 200 })),
    });
    check(fc.array(record, { minLength: 1, maxLength: 6 }), (records) => {
      let position = { seq: 0, head: null as string | null };
      let text = '';
      for (const r of records) {
        const rec: AuditRecord = {
          command: r.command,
          operators: r.operators,
          exceptions: [],
          inputs: {},
          outputs: {},
          checkCodes: {},
          keys: [],
          kmsRequestIds: [],
          peerLogHead: null,
          outcome: r.message === null ? 'ok' : 'error',
          error: r.message === null ? null : { code: 'ERR_USAGE', message: r.message },
        };
        const next = nextAuditEntryLine(position, rec, META);
        text += `${next.line}\n`;
        position = { seq: position.seq + 1, head: next.hash };
        expect(auditEntryProblems(JSON.parse(next.line))).toEqual([]);
      }
      const chain = verifyAuditChain('log.jsonl', text);
      expect(chain.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(chain.entries).toHaveLength(records.length);
    });
  });

  it('reports any mutated entry as problems, never throwing', () => {
    check(mutationsOf(entry), (value) => {
      const problems = auditEntryProblems(value);
      expect(Array.isArray(problems)).toBe(true);
      expect(problems.length).toBeLessThanOrEqual(21);
    });
    check(hostileValue, (value) => {
      expect(Array.isArray(auditEntryProblems(value))).toBe(true);
    });
  });

  it('verifies any text as findings, never throwing: edited lines, raw text, mutated entries', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      mutationsOf(entry).map(
        (value) => [lines[0], JSON.stringify(value), ...lines.slice(2)].join('\n') + '\n',
      ),
      fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 3 })).map(([at, s]) => {
        const i = at % (online.length + 1);
        return online.slice(0, i) + s + online.slice(i + 1);
      }),
    );
    check(text, (t) => {
      const chain = verifyAuditChain('log.jsonl', t);
      for (const f of chain.findings) {
        expect(f.message).toMatch(/\S/);
        expect(f.message.length).toBeLessThan(10_000);
      }
    });
  });
});
