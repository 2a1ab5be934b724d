import { describe, expect, it } from 'vitest';
import {
  auditEntryHash,
  verifyAuditChain,
  verifyTranscript,
  type AuditFinding,
  type TranscriptOptions,
} from '../../src/index.js';
import { ceremonyLogs, operatorKey, verifyEd25519 } from './fixture-logs.js';

const codes = (findings: readonly AuditFinding[], severity = 'error') =>
  findings
    .filter((f) => f.severity === severity)
    .map((f) => `${f.code}@${f.file ?? '-'}:${f.line ?? '-'}`);

function verify(
  online: string | undefined,
  offline: string | undefined,
  options: Partial<TranscriptOptions> = {},
) {
  const chains = [];
  if (online !== undefined) chains.push(verifyAuditChain('online.jsonl', online));
  if (offline !== undefined) chains.push(verifyAuditChain('offline.jsonl', offline));
  return verifyTranscript(chains, { verifyEd25519, ...options });
}

describe('verifyTranscript', () => {
  it('accepts a complete two-operator ceremony and links prepare, wrap and import', () => {
    const logs = ceremonyLogs();
    const result = verify(logs.online, logs.offline);
    expect(codes(result.findings)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.runs).toHaveLength(1);
    expect(result.runs[0]!.prepare?.line).toBe(2);
    expect(result.runs[0]!.wrap?.line).toBe(2);
    expect(result.runs[0]!.import?.line).toBe(3);
  });

  it('says what it could not check with one log', () => {
    const result = verify(undefined, ceremonyLogs().offline);
    expect(result.ok).toBe(true);
    expect(codes(result.findings, 'info')).toEqual(['not-checked@-:-']);
  });

  it('checks signatures with operator keys, and without them accepts unsigned entries', () => {
    const alice = operatorKey('ALICE');
    const bob = operatorKey('BOB');
    const signed = ceremonyLogs({ signers: [alice.signer, bob.signer] });
    expect(signed.offline).toContain('"signatures"');
    expect(verify(signed.online, signed.offline).ok).toBe(true);
    const pins = [
      { operator: 'ALICE', publicKey: alice.publicKey, source: 'alice.pub' },
      { operator: 'BOB', publicKey: bob.publicKey, source: 'bob.pub' },
    ];
    expect(codes(verify(signed.online, signed.offline, { pinnedKeys: pins }).findings)).toEqual([]);
    // Without keys the same pins make unsigned wrap and import entries fail.
    const unsigned = ceremonyLogs();
    expect(codes(verify(unsigned.online, unsigned.offline, { pinnedKeys: pins }).findings)).toEqual(
      [
        'signature-missing@online.jsonl:3',
        'signature-missing@online.jsonl:3',
        'signature-missing@offline.jsonl:2',
        'signature-missing@offline.jsonl:2',
      ],
    );
  });

  it('catches a signed last line edited where the chain cannot see it', () => {
    const alice = operatorKey('ALICE');
    const bob = operatorKey('BOB');
    const signed = ceremonyLogs({ signers: [alice.signer, bob.signer] });
    const edited = signed.offline
      .replace('"BOB"', '"MALLORY"')
      .replace('"operator":"MALLORY"', '"operator":"BOB"');
    const found = codes(verify(signed.online, edited).findings);
    expect(found).toContain('signature-operator@offline.jsonl:2');
    const kcvEdited = signed.offline.replace('ABC123', 'ABC124');
    const result = verify(signed.online, kcvEdited);
    expect(codes(result.findings)).toContain('signature-invalid@offline.jsonl:2');
    expect(codes(result.findings)).toContain('interlock@online.jsonl:3');
  });

  it('reports a key other than the pinned one', () => {
    const alice = operatorKey('ALICE');
    const bob = operatorKey('BOB');
    const impostor = operatorKey('BOB');
    const signed = ceremonyLogs({ signers: [alice.signer, impostor.signer] });
    const pins = [{ operator: 'BOB', publicKey: bob.publicKey, source: 'bob.pub' }];
    expect(codes(verify(signed.online, signed.offline, { pinnedKeys: pins }).findings)).toEqual([
      'signature-unexpected-key@online.jsonl:3',
      'signature-unexpected-key@offline.jsonl:2',
    ]);
  });

  it('records --single-operator as an exception and refuses one operator without it', () => {
    const rehearsal = ceremonyLogs({
      wrapOperators: ['ALICE'],
      wrapExceptions: ['single-operator'],
    });
    const result = verify(rehearsal.online, rehearsal.offline);
    expect(result.ok).toBe(true);
    expect(codes(result.findings, 'exception')).toEqual(['single-operator@offline.jsonl:2']);
    const alone = ceremonyLogs({ wrapOperators: ['ALICE'] });
    expect(codes(verify(alone.online, alone.offline).findings)).toEqual([
      'two-person-rule@offline.jsonl:2',
    ]);
    const twice = ceremonyLogs({ wrapOperators: ['ALICE', 'ALICE'] });
    expect(codes(verify(twice.online, twice.offline).findings)).toEqual([
      'two-person-rule@offline.jsonl:2',
    ]);
  });

  it('catches a truncated online log through the offline log that names it', () => {
    const logs = ceremonyLogs();
    const firstLine = logs.online.split('\n')[0]!;
    const result = verify(`${firstLine}\n`, logs.offline);
    expect(codes(result.findings)).toEqual(['interlock@offline.jsonl:2', 'incomplete@-:-']);
  });

  it('catches an offline log whose wrap entry was removed from the end', () => {
    const logs = ceremonyLogs();
    const firstLine = logs.offline.split('\n')[0]!;
    expect(codes(verify(logs.online, `${firstLine}\n`).findings)).toEqual([
      'interlock@online.jsonl:3',
    ]);
  });

  it('compares recorded heads with the paper record', () => {
    const logs = ceremonyLogs();
    const onlineLines = logs.online.split('\n');
    const head = auditEntryHash(onlineLines[3]!);
    const truncated = onlineLines.slice(0, 3).join('\n') + '\n';
    expect(verify(logs.online, logs.offline, { expectedHeads: [head] }).ok).toBe(true);
    expect(codes(verify(truncated, logs.offline, { expectedHeads: [head] }).findings)).toEqual([
      'head-unexpected@-:-',
    ]);
  });

  it('requires every key Enabled with a proof', () => {
    const logs = ceremonyLogs({ keyState: 'PendingImport' });
    expect(codes(verify(logs.online, logs.offline).findings)).toEqual([
      'incomplete@online.jsonl:3',
      'incomplete@online.jsonl:3',
    ]);
  });

  it('refuses two logs of one machine', () => {
    const logs = ceremonyLogs();
    const chains = [verifyAuditChain('a', logs.online), verifyAuditChain('b', logs.online)];
    expect(codes(verifyTranscript(chains, { verifyEd25519 }).findings)).toContain('interlock@-:-');
  });
});

describe('recorded check codes', () => {
  it('must be the codes of the recorded bundle digests', () => {
    const logs = ceremonyLogs();
    const line = logs.online.split('\n')[1]!;
    const code = /"request":"([0-9A-Z-]{24})"/.exec(line)![1]!;
    const forged = logs.online.replace(code, 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    const chains = [
      verifyAuditChain('online.jsonl', forged),
      verifyAuditChain('offline.jsonl', logs.offline),
    ];
    const found = verifyTranscript(chains, { verifyEd25519 }).findings.map(
      (f) => `${f.code}@${f.line}`,
    );
    expect(found).toContain('check-code-mismatch@2');
    expect(found).toContain('line-edited@2');
  });
});
