import { describe, expect, it } from 'vitest';
import {
  isAwsKmsEndpoint,
  transcriptJson,
  transcriptSummaryLines,
  verifyAuditChain,
  verifyTranscript,
  type AuditKmsRecord,
} from '../../src/index.js';
import { ceremonyLogs, verifyEd25519 } from './fixture-logs.js';

function verified(kms: AuditKmsRecord | undefined) {
  const logs = ceremonyLogs(kms === undefined ? {} : { kms });
  const chains = [
    verifyAuditChain('online.jsonl', logs.online),
    verifyAuditChain('offline.jsonl', logs.offline),
  ];
  return verifyTranscript(chains, {
    verifyEd25519,
    expectedHeads: chains.map((c) => c.head!),
  });
}

const region = 'eu-west-1';
const accounts = ['111122223333'];

describe('the KMS endpoint audit verify states', () => {
  it('is AWS for the SDK default and the kms., kms-fips. and .com.cn endpoints only', () => {
    for (const url of [
      null,
      'https://kms.eu-west-1.amazonaws.com',
      'https://kms-fips.us-gov-west-1.amazonaws.com/',
      'https://kms.cn-north-1.amazonaws.com.cn',
    ])
      expect(isAwsKmsEndpoint(url), String(url)).toBe(true);
    for (const url of [
      'http://127.0.0.1:4599',
      'http://kms.eu-west-1.amazonaws.com',
      'https://kms.eu-west-1.amazonaws.com.attacker.example',
      'https://kms.eu-west-1.amazonaws.com@127.0.0.1',
      'https://localhost.localstack.cloud:4566',
      'https://kms.eu-west-1.amazonaws.com/x',
    ])
      expect(isAwsKmsEndpoint(url), url).toBe(false);
  });

  it('marks a transcript made against another endpoint a rehearsal, VERIFIED and exit 0 all the same', () => {
    const result = verified({ endpoint: 'http://127.0.0.1:4599', region, accounts });
    expect(result.ok).toBe(true);
    expect(result.verdict).toBe('VERIFIED');
    expect(result.rehearsal).toBe('KMS endpoint http://127.0.0.1:4599 is not AWS');
    const lines = transcriptSummaryLines(result);
    expect(lines).toContain(
      'KMS endpoint: http://127.0.0.1:4599 (not AWS: a rehearsal), in 3 online line(s)',
    );
    expect(lines.at(-1)).toBe(
      'VERIFIED (rehearsal: KMS endpoint http://127.0.0.1:4599 is not AWS): 2 log(s), 0 exception(s) on record',
    );
    expect(transcriptJson(result)).toMatchObject({
      verdict: 'VERIFIED',
      rehearsal: 'KMS endpoint http://127.0.0.1:4599 is not AWS',
      kmsEndpoints: [{ endpoint: 'http://127.0.0.1:4599', aws: false, entries: 3 }],
    });
  });

  it('says plainly VERIFIED for AWS, naming the endpoint', () => {
    for (const [endpoint, line] of [
      [null, "KMS endpoint: the SDK's default (AWS), in 3 online line(s)"],
      [
        'https://kms.eu-west-1.amazonaws.com',
        'KMS endpoint: https://kms.eu-west-1.amazonaws.com (AWS), in 3 online line(s)',
      ],
    ] as const) {
      const result = verified({ endpoint, region, accounts });
      expect(result.rehearsal).toBeNull();
      const lines = transcriptSummaryLines(result);
      expect(lines).toContain(line);
      expect(lines.at(-1)).toBe('VERIFIED: 2 log(s), 0 exception(s) on record');
    }
    const none = transcriptSummaryLines(verified(undefined));
    expect(none).toContain('KMS endpoint: none recorded (no online line talked to KMS)');
  });
});
