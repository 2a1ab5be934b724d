import type { KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { KMS_CALL_ATTEMPTS } from '../../src/kms/kms-call-attempts.js';
import type { KmsPort } from '../../src/kms/kms-port.js';
import { sdkKmsPort } from '../../src/kms/sdk-kms-port.js';
import { importExactlyOnce } from '../../src/ops/import-exactly-once.js';

const ARN = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function throttling(): Error {
  return Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });
}

/** A client throttled for its first `throttled` sends, then answering DescribeKey. */
function clientThrottledFor(throttled: number) {
  const counted = { sends: 0 };
  const client = {
    send: () => {
      counted.sends++;
      if (counted.sends <= throttled) return Promise.reject(throttling());
      return Promise.resolve({
        KeyMetadata: { KeyId: ARN.split('/')[1], Arn: ARN, KeyState: 'Enabled' },
        $metadata: {},
      });
    },
    destroy: () => undefined,
  } as unknown as KMSClient;
  return { client, counted };
}

const noSleep = () => Promise.resolve();

describe(`a KMS call is sent at most ${KMS_CALL_ATTEMPTS} times`, () => {
  it('the bound: 20, so that a 30% fault rate fails a call about once in 30 billion', () => {
    expect(KMS_CALL_ATTEMPTS).toBe(20);
    expect(0.3 ** KMS_CALL_ATTEMPTS).toBeLessThan(1e-10);
  });

  it('a read throttled on every attempt but the last is answered', async () => {
    const { client, counted } = clientThrottledFor(KMS_CALL_ATTEMPTS - 1);
    const kms = sdkKmsPort(client, () => undefined, 'eu-west-2', noSleep);
    await expect(kms.describeKey(ARN)).resolves.toMatchObject({ keyState: 'Enabled' });
    expect(counted.sends).toBe(KMS_CALL_ATTEMPTS);
  });

  it('a read throttled on every attempt fails with the throttling error after the last', async () => {
    const { client, counted } = clientThrottledFor(Infinity);
    const kms = sdkKmsPort(client, () => undefined, 'eu-west-2', noSleep);
    await expect(kms.describeKey(ARN)).rejects.toThrow(/ThrottlingException: Rate exceeded/);
    expect(counted.sends).toBe(KMS_CALL_ATTEMPTS);
  });

  it('ImportKeyMaterial throttled on every attempt is sent the same number of times', async () => {
    let sends = 0;
    const kms = {
      importKeyMaterial: () => {
        sends++;
        return Promise.reject(throttling());
      },
    } as unknown as KmsPort;
    const attempt = importExactlyOnce(kms, {
      input: {} as Parameters<KmsPort['importKeyMaterial']>[0],
      target: { keyArn: ARN },
      before: { keyState: 'PendingImport', keyMaterialId: null },
      sleep: noSleep,
    });
    await expect(attempt).rejects.toThrow(/Rate exceeded/);
    expect(sends).toBe(KMS_CALL_ATTEMPTS);
  });
});
