import { describe, expect, it } from 'vitest';
import { verifyAuditChain, verifyTranscript } from '@byok-ceremony/shared';
import { ceremonyLogs, verifyEd25519 } from '../../../shared/test/audit/fixture-logs.js';

/**
 * The CLIs refuse these names (OPERATOR_NAME), but audit verify checks a recorded operator only
 * as 1–256 characters: a wrap recorded as done by "ALICE" and "ALICE" with an invisible or
 * trailing character is one person named twice, and must not pass the two-person rule.
 */
const SECOND_NAMES = ['ALICE\u200b', 'AL\u200dICE', 'ALICE ', 'ALICE\u00ad', 'ALI\u0335CE'];

describe('audit verify: one operator recorded twice in spellings the CLIs would refuse', () => {
  it.each(SECOND_NAMES)('a wrap by ALICE and %j is not VERIFIED', (second) => {
    const logs = ceremonyLogs({ wrapOperators: ['ALICE', second] });
    const chains = [
      verifyAuditChain('online.jsonl', logs.online),
      verifyAuditChain('offline.jsonl', logs.offline),
    ];
    const result = verifyTranscript(chains, {
      verifyEd25519,
      expectedHeads: chains.map((c) => c.head!),
    });
    expect(result.verdict).not.toBe('VERIFIED');
  });
});
