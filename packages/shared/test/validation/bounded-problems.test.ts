import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ERROR_MESSAGE_MAX_CHARS, nextAuditEntryLine } from '../../src/audit/chain.js';
import { assertImportRequestBundle } from '../../src/bundle/assert-import-request.js';
import { formatErrorLines } from '../../src/cli/format-error.js';
import { parseStrictJson } from '../../src/encoding/strict-json.js';
import { ByokError } from '../../src/errors.js';
import { MAX_LISTED_PROBLEMS } from '../../src/validation/field-checker.js';

const request = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/import-request.v1.json'), 'utf8'),
) as Record<string, unknown>;

function thrown(f: () => unknown): ByokError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ByokError);
    return error as ByokError;
  }
  throw new Error('expected a ByokError');
}

describe('validation errors of hostile size', () => {
  // The reported crash: a 2.3 MB request with 200,000 unknown fields.
  const hostile: Record<string, unknown> = { ...request };
  for (let i = 0; i < 200_000; i++) hostile[`x${i}`] = 1;
  const text = JSON.stringify(hostile);

  it('list the first problems and the count, however many there are', () => {
    const error = thrown(() => assertImportRequestBundle(parseStrictJson(text)));
    expect(error.code).toBe('ERR_BUNDLE_INVALID');
    expect(error.message.split('\n')[0]).toBe('The import request is invalid (200000 problem(s)):');
    expect(error.details).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(error.details.at(-1)).toBe('… and 199980 more problem(s)');
    expect(error.message.length).toBeLessThan(2000);
  });

  it('render as a few error lines and a hint', () => {
    const error = thrown(() => assertImportRequestBundle(parseStrictJson(text)));
    const lines = formatErrorLines('byok-offline', error, false);
    expect(lines).toHaveLength(MAX_LISTED_PROBLEMS + 3);
    expect(lines[0]).toMatch(/^byok-offline: error: /);
    expect(lines.at(-1)).toMatch(/^byok-offline: hint: /);
  });

  it('name a huge unknown key shortened', () => {
    const error = thrown(() => assertImportRequestBundle({ ...request, ['k'.repeat(1e6)]: 1 }));
    expect(error.details[0]).toBe(`$["${'k'.repeat(64)}…"]: unknown field`);
  });

  it('are cut in the audit entry that records them', () => {
    const { line } = nextAuditEntryLine(
      { seq: 0, head: null },
      {
        command: 'wrap',
        operators: [],
        exceptions: [],
        inputs: {},
        outputs: {},
        checkCodes: {},
        keys: [],
        kmsRequestIds: [],
        peerLogHead: null,
        outcome: 'error',
        error: { code: 'ERR_BUNDLE_INVALID', message: 'x'.repeat(5_500_000) },
      },
      { time: '2026-11-29T09:00:00Z', tool: 'byok-offline', toolVersion: '0.1.0' },
    );
    expect(line.length).toBeLessThan(AUDIT_ERROR_MESSAGE_MAX_CHARS + 1000);
    expect(line).toContain('x…"');
  });

  it('never print more than a bounded number of lines for any message', () => {
    const error = new ByokError('ERR_QR', Array.from({ length: 100_000 }, () => 'y').join('\n'));
    expect(formatErrorLines('t', error, false).length).toBeLessThanOrEqual(42);
  });
});
