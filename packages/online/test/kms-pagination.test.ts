import type { KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { ByokError } from '@byok-ceremony/shared';
import { sdkKmsPort } from '../src/kms/sdk-kms-port.js';

const ARN = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** An endpoint that answers every page as truncated, with the same marker: it never ends. */
function loopingClient(page: Record<string, unknown>): { client: KMSClient; calls: () => number } {
  let calls = 0;
  const client = {
    send: () => {
      calls++;
      // The test's own stop, so a loop shows as a count rather than a hang.
      return Promise.resolve(calls >= 2_000 ? { ...page, Truncated: false } : page);
    },
    destroy: () => undefined,
  } as unknown as KMSClient;
  return { client, calls: () => calls };
}

describe('pagination against an endpoint that does not behave like KMS', () => {
  it('ListKeyRotations: a repeated NextMarker is refused, not followed forever', async () => {
    const { client, calls } = loopingClient({
      Rotations: [{ KeyMaterialId: 'a'.repeat(64), KeyMaterialState: 'CURRENT' }],
      Truncated: true,
      NextMarker: 'same',
    });
    const kms = sdkKmsPort(
      client,
      () => undefined,
      'eu-west-2',
      () => Promise.resolve(),
    );
    const outcome = await kms.listKeyMaterials(ARN).then(
      (list) => `resolved with ${list.length} materials after ${calls()} calls`,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(ByokError);
    expect(calls()).toBeLessThan(100);
  });

  it('ListKeys (status --all-external): a repeated NextMarker is refused, not followed forever', async () => {
    const { client, calls } = loopingClient({
      Keys: [{ KeyId: ARN.split('/')[1], KeyArn: ARN }],
      Truncated: true,
      NextMarker: 'same',
    });
    const kms = sdkKmsPort(
      client,
      () => undefined,
      'eu-west-2',
      () => Promise.resolve(),
    );
    const outcome = await kms.listKeys().then(
      (list) => `resolved with ${list.length} keys after ${calls()} calls`,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(ByokError);
    expect(calls()).toBeLessThan(100);
  });
});
