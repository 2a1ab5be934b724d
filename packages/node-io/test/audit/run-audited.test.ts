import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ByokError, verifyAuditChain, type AuditEntry } from '@byok-ceremony/shared';
import { AuditSession } from '../../src/audit/audit-session.js';
import { inputFact, outputFact, withFailureFacts } from '../../src/audit/ceremony-facts.js';
import { interruptedError, runAudited, type SignalSource } from '../../src/audit/run-audited.js';
import { appendAuditEntry } from '../../src/io/audit-log.js';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'byok-run-audited-'));
}

function options(auditLog: string, stderr: string[] = [], signals?: SignalSource) {
  return {
    auditLog,
    tool: 'byok-test',
    toolVersion: '0.0.0',
    now: () => new Date('2026-12-01T08:00:00Z'),
    stderr: (text: string) => stderr.push(text),
    ...(signals === undefined ? {} : { signals }),
  };
}

function entries(path: string): AuditEntry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AuditEntry);
}

describe('runAudited', () => {
  it('appends one ok entry with the facts gathered, and returns the body result', async () => {
    const log = join(folder(), 'audit.jsonl');
    const session = new AuditSession('wrap', ['ALICE', 'BOB']);
    const result = await runAudited(
      session,
      async ({ logHead }) => {
        expect(logHead).toBeNull();
        return {
          result: 42,
          facts: { ...inputFact('requestFile', 'bytes'), checkCodes: { request: 'CODE' } },
        };
      },
      options(log),
    );
    expect(result).toBe(42);
    const [entry] = entries(log);
    expect(entry).toMatchObject({
      seq: 0,
      command: 'wrap',
      operators: ['ALICE', 'BOB'],
      outcome: 'ok',
      checkCodes: { request: 'CODE' },
      tool: 'byok-test',
    });
    expect(entry!.inputs['requestFile']).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['a cut-off last line', (log: string) => writeFileSync(log, '{"seq":0')],
    ['a log that is a folder', (log: string) => mkdirSync(log)],
    ['a missing folder', (log: string) => rmSync(join(log, '..'), { recursive: true })],
    [
      'a last line that is not the chain tail',
      (log: string) => writeFileSync(log, '{"seq":7,"prev":null}\n'),
    ],
  ])('refuses %s before the body runs', async (_name, spoil) => {
    const log = join(folder(), 'audit.jsonl');
    spoil(log);
    let ran = false;
    const attempt = runAudited(
      new AuditSession('create-key', []),
      () => {
        ran = true;
        return Promise.resolve({ result: undefined, facts: {} });
      },
      options(log),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_AUDIT_LOG' });
    expect(ran).toBe(false);
  });

  it('a failure is logged with its code, and what the body wrote is removed', async () => {
    const dir = folder();
    const log = join(dir, 'audit.jsonl');
    const out = join(dir, 'out.json');
    const session = new AuditSession('prepare', []);
    const attempt = runAudited(
      session,
      () => {
        writeFileSync(out, 'x');
        session.wrote(out);
        throw new ByokError('ERR_KMS', 'KMS said no');
      },
      options(log),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_KMS' });
    expect(existsSync(out)).toBe(false);
    expect(entries(log)[0]).toMatchObject({
      outcome: 'error',
      error: { code: 'ERR_KMS', message: 'KMS said no' },
    });
  });

  it('a failure carrying its facts: they are logged, and the paths it names as written removed', async () => {
    const dir = folder();
    const log = join(dir, 'audit.jsonl');
    const out = join(dir, 'request.json');
    const failure = new ByokError('ERR_IO', 'disk full');
    const attempt = runAudited(
      new AuditSession('prepare', ['ALICE', 'BOB'], ['single-operator']),
      () => {
        writeFileSync(out, 'x');
        throw withFailureFacts(failure, {
          ...inputFact('requestFile', 'bytes'),
          checkCodes: { request: 'CODE' },
          exceptions: ['raw-mode'],
          written: [out],
        });
      },
      options(log),
    );
    // The very error the operation threw reaches the command, its facts not enumerable.
    await expect(attempt).rejects.toBe(failure);
    expect(Object.keys(failure)).not.toContain('ceremonyFacts');
    expect(existsSync(out)).toBe(false);
    const [entry] = entries(log);
    expect(entry).toMatchObject({
      outcome: 'error',
      exceptions: ['single-operator', 'raw-mode'],
      checkCodes: { request: 'CODE' },
      error: { code: 'ERR_IO', message: 'disk full' },
    });
    expect(entry!.inputs['requestFile']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('success that cannot be logged removes its outputs and fails with ERR_AUDIT_LOG', async () => {
    const dir = folder();
    const log = join(dir, 'audit.jsonl');
    const out = join(dir, 'wrapped.json');
    const session = new AuditSession('wrap', []);
    const attempt = runAudited(
      session,
      () => {
        writeFileSync(out, 'x');
        session.wrote(out);
        mkdirSync(log); // the log becomes unusable while the command runs
        return Promise.resolve({ result: undefined, facts: {} });
      },
      options(log),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_AUDIT_LOG' });
    expect(existsSync(out)).toBe(false);
  });

  it('a failure that cannot be logged warns, and the original error wins', async () => {
    const log = join(folder(), 'audit.jsonl');
    const stderr: string[] = [];
    const attempt = runAudited(
      new AuditSession('import', []),
      () => {
        mkdirSync(log);
        throw new ByokError('ERR_PROOF_FAILED', 'not the material');
      },
      options(log, stderr),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_PROOF_FAILED' });
    expect(stderr.join('')).toMatch(/^byok-test: warning: this failure could not be logged: /);
  });

  it('SIGINT aborts the signal the body sees; the interruption is logged and handlers removed', async () => {
    const log = join(folder(), 'audit.jsonl');
    await appendAuditEntry(log, new AuditSession('create-key', []).record({}, undefined), {
      time: '2026-12-01T07:00:00Z',
      tool: 'byok-test',
      toolVersion: '0.0.0',
    });
    const signals = new EventEmitter();
    const session = new AuditSession('import', []);
    const attempt = runAudited(
      session,
      async ({ signal, logHead }) => {
        expect(logHead).toMatch(/^[0-9a-f]{64}$/);
        const facts = { keys: [{ keyArn: 'arn:aws:kms:eu-west-2:111122223333:key/one' }] };
        signals.emit('SIGINT');
        await Promise.resolve();
        if (signal.aborted) throw withFailureFacts(interruptedError('after 1 of 2 key(s)'), facts);
        return { result: undefined, facts };
      },
      options(log, [], signals),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_INTERRUPTED' });
    expect(signals.listenerCount('SIGINT')).toBe(0);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    expect(entries(log)[1]).toMatchObject({
      seq: 1,
      outcome: 'error',
      error: { code: 'ERR_INTERRUPTED' },
      keys: [{ keyArn: 'arn:aws:kms:eu-west-2:111122223333:key/one' }],
    });
  });
  describe('two commands on one log', () => {
    /** A tool the chain verifier knows, so that the log can be verified. */
    const onLog = (log: string) => ({ ...options(log), tool: 'byok-online' });

    /** A command that writes an output and, before it returns, lets a second command log. */
    function interleaved(log: string, out: string, readHead: boolean) {
      const session = new AuditSession('prepare', ['ALICE', 'BOB']);
      return runAudited(
        session,
        async (run) => {
          const head = readHead ? run.logHead : undefined;
          writeFileSync(out, JSON.stringify({ auditLogHead: head ?? null }));
          session.wrote(out);
          // The second command runs to the end while the first is still working.
          await runAudited(
            new AuditSession('status', []),
            () => Promise.resolve({ result: undefined, facts: {} }),
            onLog(log),
          );
          return { result: 'done', facts: outputFact('request', 'bundle') };
        },
        onLog(log),
      );
    }

    it('refuses the append of a command whose bundle carries a head that moved; the log still verifies', async () => {
      const dir = folder();
      const log = join(dir, 'audit.jsonl');
      await appendAuditEntry(log, new AuditSession('create-key', []).record({}, undefined), {
        time: '2026-12-01T07:00:00Z',
        tool: 'byok-online',
        toolVersion: '0.0.0',
      });
      const out = join(dir, 'request.json');
      const attempt = interleaved(log, out, true);
      await expect(attempt).rejects.toMatchObject({
        code: 'ERR_AUDIT_LOG',
        message: expect.stringMatching(/moved while this command ran/),
        hint: expect.stringMatching(/^Run one command at a time/),
      });
      expect(existsSync(out)).toBe(false);
      const logged = entries(log);
      expect(logged.map((e) => [e.seq, e.command, e.outcome])).toEqual([
        [0, 'create-key', 'ok'],
        [1, 'status', 'ok'],
        [2, 'prepare', 'error'],
      ]);
      expect(logged[2]!.error).toMatchObject({ code: 'ERR_AUDIT_LOG' });
      expect(verifyAuditChain('audit.jsonl', readFileSync(log, 'utf8')).findings).toEqual([]);
    });

    it('chains both, one after the other, when the first gave no head out', async () => {
      const dir = folder();
      const log = join(dir, 'audit.jsonl');
      const out = join(dir, 'status.txt');
      await expect(interleaved(log, out, false)).resolves.toBe('done');
      expect(existsSync(out)).toBe(true);
      expect(entries(log).map((e) => [e.seq, e.command, e.outcome])).toEqual([
        [0, 'status', 'ok'],
        [1, 'prepare', 'ok'],
      ]);
      expect(verifyAuditChain('audit.jsonl', readFileSync(log, 'utf8')).findings).toEqual([]);
    });
  });
});
