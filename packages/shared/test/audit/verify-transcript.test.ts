import { describe, expect, it } from 'vitest';
import {
  auditEntryHash,
  headCodeOf,
  formatAuditFinding,
  verificationFailed,
  verifyAuditChain,
  verifyTranscript,
  type AuditFinding,
  type TranscriptOptions,
} from '../../src/index.js';
import {
  appendFiller,
  ceremonyLogs,
  forgeTail,
  logHead,
  operatorKey,
  unsignedAs,
  verifyEd25519,
} from './fixture-logs.js';

const codes = (findings: readonly AuditFinding[], severity = 'error') =>
  findings
    .filter((f) => f.severity === severity)
    .map((f) => `${f.code}@${f.file ?? '-'}:${f.line ?? '-'}`);

/**
 * Verifies as an auditor with the paper record would: unless a test gives its own, the expected
 * heads are those of the logs given, so that wrap and import lines are anchored.
 */
function verify(
  online: string | undefined,
  offline: string | undefined,
  options: Partial<TranscriptOptions> = {},
) {
  const chains = [];
  if (online !== undefined) chains.push(verifyAuditChain('online.jsonl', online));
  if (offline !== undefined) chains.push(verifyAuditChain('offline.jsonl', offline));
  const expectedHeads = chains.flatMap((c) => (c.head === null ? [] : [c.head]));
  return verifyTranscript(chains, { verifyEd25519, expectedHeads, ...options });
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
    expect(codes(result.findings, 'info')).toEqual(['not-checked@-:-', 'anchor@offline.jsonl:1']);
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
    const pins = [
      { operator: 'ALICE', publicKey: alice.publicKey, source: 'alice.pub' },
      { operator: 'BOB', publicKey: bob.publicKey, source: 'bob.pub' },
    ];
    expect(codes(verify(signed.online, signed.offline, { pinnedKeys: pins }).findings)).toEqual([
      'signature-unexpected-key@online.jsonl:3',
      'signature-unexpected-key@offline.jsonl:2',
    ]);
  });

  it('holds rotate and delete-material to the two-person rule, as wrap and import', () => {
    const logs = ceremonyLogs();
    for (const command of ['rotate', 'delete-material']) {
      const alone = forgeTail(logs.online, 3, (e) => ({ ...e, command, operators: ['ALICE'] }));
      expect(codes(verify(alone, logs.offline).findings)).toEqual([
        'two-person-rule@online.jsonl:4',
      ]);
      const rehearsal = forgeTail(logs.online, 3, (e) => ({
        ...e,
        command,
        operators: ['ALICE'],
        exceptions: ['single-operator'],
      }));
      const result = verify(rehearsal, logs.offline);
      expect(result.ok).toBe(true);
      expect(codes(result.findings, 'exception')).toEqual(['single-operator@online.jsonl:4']);
    }
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
    // One person under two spellings: the same name, another case, a Cyrillic look-alike.
    for (const pair of [
      ['ALICE', 'ALICE'],
      ['ALICE', 'alice'],
      ['Bob', 'B\u043eb'],
      ['Bob', '\uff22ob'],
      // Look-alike capitals: Cyrillic ВОВ, ТОМ, МАХ, КЕН.
      ['BOB', '\u0412\u041e\u0412'],
      ['TOM', '\u0422\u041e\u041c'],
      ['MAX', '\u041c\u0410\u0425'],
      ['KEH', '\u041a\u0415\u041d'],
    ]) {
      const twice = ceremonyLogs({ wrapOperators: pair });
      expect(codes(verify(twice.online, twice.offline).findings), pair.join('/')).toEqual([
        'operator-name-collision@offline.jsonl:2',
      ]);
    }
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
    // Signed and pinned, so that the offline wrap is anchored without its head.
    const alice = operatorKey('ALICE');
    const bob = operatorKey('BOB');
    const logs = ceremonyLogs({ signers: [alice.signer, bob.signer] });
    const pinnedKeys = [
      { operator: 'ALICE', publicKey: alice.publicKey, source: 'alice.pub' },
      { operator: 'BOB', publicKey: bob.publicKey, source: 'bob.pub' },
    ];
    const onlineLines = logs.online.split('\n');
    const head = auditEntryHash(onlineLines[3]!);
    const truncated = onlineLines.slice(0, 3).join('\n') + '\n';
    expect(verify(logs.online, logs.offline, { expectedHeads: [head], pinnedKeys }).ok).toBe(true);
    expect(
      codes(verify(truncated, logs.offline, { expectedHeads: [head], pinnedKeys }).findings),
    ).toEqual(['head-unexpected@-:-']);
  });

  it('a head code that matches no log says it may be mistyped, and where, before tampering', () => {
    const logs = ceremonyLogs();
    const onlineHead = logHead(logs.online);
    const offlineHead = logHead(logs.offline);
    const real = headCodeOf(onlineHead);
    // One character of the third group typed wrong, as a slip of the keyboard makes it.
    const at = 11;
    const slip = real.slice(0, at) + (real[at] === 'Z' ? 'Y' : 'Z') + real.slice(at + 1);
    const result = verify(logs.online, logs.offline, { expectedHeads: [slip, offlineHead] });
    expect(result.ok).toBe(false);
    const finding = result.findings.find((f) => f.code === 'head-unexpected')!;
    expect(finding.severity).toBe('error');
    expect(finding.message).toContain('it may be mistyped');
    expect(finding.message).toContain('line 4 of online.jsonl (its last line)');
    expect(finding.message).toContain(
      `first differs at group 3 (typed ${slip.slice(10, 14)}, the log has ${real.slice(10, 14)}; 1 of 24 characters differ)`,
    );
    expect(finding.message.indexOf('mistyped')).toBeLessThan(finding.message.indexOf('truncated'));
    const hint = verificationFailed(result).hint!;
    expect(hint.indexOf('may be mistyped')).toBeGreaterThanOrEqual(0);
    expect(hint.indexOf('may be mistyped')).toBeLessThan(hint.indexOf('altered'));
  });

  it('a head that is an earlier line of the log says lines were added after it', () => {
    const logs = ceremonyLogs();
    const lines = logs.online.split('\n');
    const earlier = headCodeOf(auditEntryHash(lines[1]!));
    const result = verify(logs.online, logs.offline, {
      expectedHeads: [earlier, logHead(logs.offline)],
    });
    expect(result.ok).toBe(false);
    const finding = result.findings.find((f) => f.code === 'head-unexpected')!;
    expect(finding.message).toContain(
      "it is the head of line 2 of online.jsonl, not the log's last line: lines were added",
    );
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

describe('the last wrap and import lines, which no later line names', () => {
  const alice = operatorKey('ALICE');
  const bob = operatorKey('BOB');
  const pinnedKeys = [
    { operator: 'ALICE', publicKey: alice.publicKey, source: 'alice.pub' },
    { operator: 'BOB', publicKey: bob.publicKey, source: 'bob.pub' },
  ];
  const signed = ceremonyLogs({ signers: [alice.signer, bob.signer] });
  const onlyPins = { pinnedKeys, expectedHeads: [] };

  it('with pinned keys, refuse forged operators, missing signatures and near-miss names', () => {
    const offline = forgeTail(signed.offline, 1, unsignedAs(['MALLORY', 'EVE']));
    const online = forgeTail(signed.online, 2, unsignedAs(['MALLORY', 'EVE']));
    const result = verify(online, offline, onlyPins);
    expect(result.verdict).toBe('FAILED');
    expect(codes(result.findings)).toEqual([
      'operator-unpinned@online.jsonl:3',
      'operator-unpinned@online.jsonl:3',
      'operator-unpinned@offline.jsonl:2',
      'operator-unpinned@offline.jsonl:2',
      // Nobody pinned signed anything left, so nothing anchors either log.
      'unanchored@online.jsonl:3',
      'unanchored@offline.jsonl:2',
    ]);
    const nearMiss = forgeTail(signed.offline, 1, unsignedAs(['ALICE ', 'BOB ']));
    expect(codes(verify(signed.online, nearMiss, onlyPins).findings)).toEqual([
      'operator-unpinned@offline.jsonl:2',
      'operator-unpinned@offline.jsonl:2',
      'unanchored@offline.jsonl:2',
    ]);
    // Even a forger who keeps the pinned names must bring their signatures.
    const kept = forgeTail(signed.offline, 1, unsignedAs(['ALICE', 'BOB']));
    expect(codes(verify(signed.online, kept, onlyPins).findings)).toEqual([
      'signature-missing@offline.jsonl:2',
      'signature-missing@offline.jsonl:2',
      'unanchored@offline.jsonl:2',
    ]);
  });

  it('with pinned keys, needs two distinct pinned signers, or one recorded as single-operator', () => {
    // BOB signed with his key, but only ALICE's key is pinned.
    const unpinned = verify(signed.online, signed.offline, {
      pinnedKeys: [pinnedKeys[0]!],
      expectedHeads: [],
    });
    expect(codes(unpinned.findings)).toEqual([
      'operator-unpinned@online.jsonl:3',
      'operator-unpinned@offline.jsonl:2',
    ]);
    const alone = ceremonyLogs({
      signers: [alice.signer],
      wrapOperators: ['ALICE'],
      wrapExceptions: ['single-operator'],
    });
    // The fixture's import names ALICE and BOB but only ALICE signed it.
    const aloneResult = verify(alone.online, alone.offline, onlyPins);
    expect(codes(aloneResult.findings)).toEqual(['signature-missing@online.jsonl:3']);
    expect(codes(aloneResult.findings, 'exception')).toEqual(['single-operator@offline.jsonl:2']);
    // A signature by a key nobody pinned is an error on any entry.
    const stranger = operatorKey('ALICE');
    const other = ceremonyLogs({ signers: [stranger.signer, bob.signer] });
    expect(codes(verify(other.online, other.offline, onlyPins).findings)).toEqual([
      'signature-unexpected-key@online.jsonl:3',
      'signature-unexpected-key@offline.jsonl:2',
    ]);
  });

  it('without pins or heads, says UNANCHORED for honest logs, signed or not', () => {
    for (const logs of [ceremonyLogs(), signed]) {
      const result = verify(logs.online, logs.offline, { expectedHeads: [] });
      expect(result.ok).toBe(false);
      expect(result.verdict).toBe('UNANCHORED');
      expect(result.anchors).toEqual([]);
      expect(codes(result.findings)).toEqual([
        'unanchored@-:-',
        'unanchored@online.jsonl:3',
        'unanchored@offline.jsonl:2',
      ]);
      const failed = verificationFailed(result);
      expect(failed.code).toBe('ERR_AUDIT_UNANCHORED');
      expect(failed.hint).toContain('--operator-pubkey');
      expect(failed.hint).toContain('--expect-head');
      expect(failed.hint).toContain('--paper-record');
    }
    // The forged tails of the review: without anchors they fail instead of verifying.
    const offline = forgeTail(signed.offline, 1, unsignedAs(['MALLORY', 'EVE']));
    const online = forgeTail(signed.online, 2, unsignedAs(['MALLORY', 'EVE']));
    expect(verify(online, offline, { expectedHeads: [] }).ok).toBe(false);
    // The heads on the paper record anchor the genuine logs, and refuse the forged ones.
    const heads = [signed.online, signed.offline].map((t) => auditEntryHash(t.split('\n').at(-2)!));
    expect(verify(signed.online, signed.offline, { expectedHeads: heads }).ok).toBe(true);
    expect(codes(verify(online, offline, { expectedHeads: heads }).findings)).toEqual([
      'head-unexpected@-:-',
      'head-unexpected@-:-',
      'unanchored@online.jsonl:3',
      'unanchored@offline.jsonl:2',
    ]);
  });

  it('with only one head, covers the other log up to the line the anchored log names', () => {
    const logs = ceremonyLogs();
    const result = verify(logs.online, logs.offline, { expectedHeads: [logHead(logs.online)] });
    // The online import names offline line 1; the offline wrap after it rests on nothing.
    expect(result.verdict).toBe('UNANCHORED');
    expect(codes(result.findings)).toEqual(['unanchored@offline.jsonl:2']);
    expect(result.anchors.filter((a) => a.file === 'offline.jsonl').map((a) => a.line)).toEqual([
      1,
    ]);
  });

  it('reports per log which anchors cover its lines, and which lines none covers', () => {
    const result = verify(signed.online, signed.offline, { pinnedKeys, expectedHeads: [] });
    expect(result.verdict).toBe('VERIFIED');
    const anchors = result.findings.filter((f) => f.code === 'anchor').map(formatAuditFinding);
    expect(anchors).toEqual([
      'online.jsonl:1: line 4 covered by no anchor; the others covered by the pinned signature(s) of ALICE and BOB on online.jsonl:3',
      // The signed import names offline line 1 before the signed wrap is reached.
      'offline.jsonl:1: all 2 line(s) covered by the pinned signature(s) of ALICE and BOB on online.jsonl:3; the pinned signature(s) of ALICE and BOB on offline.jsonl:2',
    ]);
    const withHeads = verify(signed.online, signed.offline, { pinnedKeys });
    expect(withHeads.findings.filter((f) => f.code === 'anchor').map(formatAuditFinding)).toEqual([
      'online.jsonl:1: all 4 line(s) covered by the head of online.jsonl (--expect-head)',
      'offline.jsonl:1: all 2 line(s) covered by the head of online.jsonl (--expect-head); the head of offline.jsonl (--expect-head)',
    ]);
  });
});

describe('two logs both rewritten, each with a filler line naming the other forged tail', () => {
  const honest = ceremonyLogs();
  const realHeads = [logHead(honest.online), logHead(honest.offline)];
  // The wrap and the import are rewritten to two other operators and both logs re-chained ...
  const offlineForged = forgeTail(honest.offline, 1, unsignedAs(['MALLORY', 'EVE']));
  const onlineForged = forgeTail(
    honest.online.split('\n').slice(0, 3).join('\n') + '\n',
    2,
    unsignedAs(['MALLORY', 'EVE']),
  );
  // ... then each log gets a line whose peerLogHead names the other log's forged last line.
  const online = appendFiller(onlineForged, logHead(offlineForged));
  const offline = appendFiller(offlineForged, logHead(onlineForged));

  it('is internally consistent: chains, interlock and digests all check', () => {
    const result = verify(online, offline);
    expect(result.verdict).toBe('VERIFIED');
    expect(online).toContain('"MALLORY"');
  });

  it('is refused without anchors: the claims of unanchored lines protect nothing', () => {
    const result = verify(online, offline, { expectedHeads: [] });
    expect(result.verdict).toBe('UNANCHORED');
    expect(result.ok).toBe(false);
    expect(codes(result.findings)).toEqual([
      'unanchored@-:-',
      'unanchored@online.jsonl:3',
      'unanchored@offline.jsonl:2',
    ]);
  });

  it('is refused with the real heads from the paper record, as hex or as head codes', () => {
    for (const expectedHeads of [realHeads, realHeads.map(headCodeOf)]) {
      const result = verify(online, offline, { expectedHeads });
      expect(result.verdict).toBe('FAILED');
      expect(codes(result.findings)).toEqual([
        'head-unexpected@-:-',
        'head-unexpected@-:-',
        'unanchored@online.jsonl:3',
        'unanchored@offline.jsonl:2',
      ]);
    }
  });

  it('is refused with pinned operator keys', () => {
    const pinnedKeys = [
      { operator: 'ALICE', publicKey: operatorKey('ALICE').publicKey, source: 'alice.pub' },
      { operator: 'BOB', publicKey: operatorKey('BOB').publicKey, source: 'bob.pub' },
    ];
    const result = verify(online, offline, { expectedHeads: [], pinnedKeys });
    expect(result.verdict).toBe('FAILED');
    expect(codes(result.findings)).toContain('operator-unpinned@online.jsonl:3');
    expect(codes(result.findings)).toContain('unanchored@online.jsonl:3');
  });

  it('while the honest logs are VERIFIED by their heads, by head codes, or by pinned keys', () => {
    expect(verify(honest.online, honest.offline, { expectedHeads: realHeads }).verdict).toBe(
      'VERIFIED',
    );
    const byCode = verify(honest.online, honest.offline, {
      expectedHeads: realHeads.map(headCodeOf),
    });
    expect(byCode.verdict).toBe('VERIFIED');
    expect(byCode.anchors).toHaveLength(6);
  });
});
