import type { KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { sdkKmsPort } from '../src/kms/sdk-kms-port.js';

const ARN = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('LimitExceededException is a quota, not throttling', () => {
  it('RotateKeyOnDemand past its 25 rotations is sent once, not twelve times', async () => {
    let sends = 0;
    const client = {
      send: () => {
        sends++;
        const error = Object.assign(
          new Error(`${ARN} has reached the limit of 25 on-demand rotations.`),
          { name: 'LimitExceededException', $metadata: { httpStatusCode: 400 } },
        );
        return Promise.reject(error);
      },
      destroy: () => undefined,
    } as unknown as KMSClient;
    const slept: number[] = [];
    const kms = sdkKmsPort(
      client,
      () => undefined,
      'eu-west-2',
      (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    );
    await expect(kms.rotateKeyOnDemand(ARN)).rejects.toThrow(/limit/);
    expect(sends).toBe(1);
    expect(slept).toEqual([]);
  });
});
