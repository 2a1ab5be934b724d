import { CreateKeyCommand, DescribeKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRequestLog, startKmsSim } from '../src/index.js';
import type { RequestLogEntry } from '../src/index.js';
import { adminRequest, kmsClient, signedRequest, tempDir } from './helpers.js';

function entries(path: string): RequestLogEntry[] {
  return parseRequestLog(readFileSync(path, 'utf8'));
}

describe('parseRequestLog', () => {
  it('reads only whole lines: a line caught half-written is left for the next read', () => {
    const whole = '{"time":"t","operation":"CreateKey","status":200,"ms":1}\n';
    expect(parseRequestLog('')).toEqual([]);
    expect(parseRequestLog(whole)).toHaveLength(1);
    expect(parseRequestLog(`${whole}{"time":"t","operation":"Desc`)).toHaveLength(1);
    expect(parseRequestLog(`${whole}${whole}`)).toHaveLength(2);
  });
});

describe('--request-log', () => {
  const temp = tempDir();
  afterAll(() => {
    temp.cleanup();
  });

  it('writes one JSON line per request, with the KeyId as sent and the status answered', async () => {
    const requestLog = join(temp.dir, 'requests.jsonl');
    const sim = await startKmsSim({ wrappingKeyPool: false, requestLog });
    const kms = kmsClient(sim);
    try {
      const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      await kms.send(new DescribeKeyCommand({ KeyId: key.Arn }));
      await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/none' }))).rejects.toMatchObject(
        { name: 'NotFoundException' },
      );
      await signedRequest(sim, 'TrentService.DescribeKey', '{"KeyId": 7}');
      await adminRequest(sim, '/_sim/clock', { token: null });
    } finally {
      kms.destroy();
      await sim.close();
    }
    const log = entries(requestLog);
    expect(log.map((entry) => ({ ...entry, time: undefined, ms: undefined }))).toEqual([
      { operation: 'CreateKey', status: 200 },
      { operation: 'DescribeKey', keyId: expect.stringMatching(/^arn:aws:kms:/), status: 200 },
      { operation: 'DescribeKey', keyId: 'alias/none', status: 400, error: 'NotFoundException' },
      { operation: 'DescribeKey', status: 400, error: 'SerializationException' },
      { admin: 'GET /_sim/clock', status: 401 },
    ]);
    for (const entry of log) {
      expect(new Date(entry.time).getTime()).not.toBeNaN();
      expect(entry.ms).toBeGreaterThanOrEqual(0);
    }
  });

  it('logs injected throttles, internal errors and resets, so clients and log agree on every call', async () => {
    const requestLog = join(temp.dir, 'faults.jsonl');
    const sim = await startKmsSim({
      wrappingKeyPool: false,
      requestLog,
      faults: 'throttle=0.3,internal=0.2,reset=0.2',
      seed: 11,
    });
    const kms = kmsClient(sim);
    const seen: string[] = [];
    try {
      for (let i = 0; i < 40; i += 1) {
        try {
          await kms.send(new ListKeysCommand({}));
          seen.push('200');
        } catch (error) {
          const name = (error as Error).name;
          seen.push(
            name === 'ThrottlingException' ? '400' : name === 'KMSInternalException' ? '500' : '0',
          );
        }
      }
    } finally {
      kms.destroy();
      await sim.close();
    }
    const log = entries(requestLog);
    expect(log).toHaveLength(40);
    expect(log.map((entry) => String(entry.status))).toEqual(seen);
    const faults = new Set(log.map((entry) => entry.fault));
    expect(faults).toEqual(new Set([undefined, 'throttle', 'internal', 'reset']));
    for (const entry of log) {
      if (entry.fault === 'reset')
        expect(entry).toMatchObject({ status: 0, operation: 'ListKeys' });
      if (entry.fault === 'throttle')
        expect(entry).toMatchObject({ status: 400, error: 'ThrottlingException' });
      if (entry.fault === 'internal')
        expect(entry).toMatchObject({ status: 500, error: 'KMSInternalException' });
    }
  });
});
