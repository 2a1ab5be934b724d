import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKmsSim, type KmsSim } from '../src/index.js';
import { bash, tempDir } from './helpers.js';

let sim: KmsSim;
const temp = tempDir();
beforeAll(async () => {
  sim = await startKmsSim({ wrappingKeyPool: false });
});
afterAll(async () => {
  await sim.close();
  temp.cleanup();
});

/** AWS CLI v1 prints timestamps as the wire has them (cli_timestamp_format none): epoch seconds. */
function epochSeconds(printed: string | number): number {
  const value = Number(printed);
  expect(Number.isFinite(value)).toBe(true);
  return value;
}

async function run(script: string): Promise<string> {
  const result = await bash(sim, temp.dir, `set -euo pipefail\n${script}`);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

describe('automatic rotation through the AWS CLI', () => {
  it('enable, clock past the date, an AUTOMATIC rotation; old ciphertext decrypts; ConflictException near the next', async () => {
    const keyId = await run(`
KEY_ID=$(aws kms create-key --query KeyMetadata.KeyId --output text)
echo "$KEY_ID" > key-id.txt
aws kms enable-key-rotation --key-id "$KEY_ID" --rotation-period-in-days 90
printf 'made before the rotation' > plain.txt
aws kms encrypt --key-id "$KEY_ID" --plaintext fileb://plain.txt --query CiphertextBlob --output text | base64 -d > old.bin
echo "$KEY_ID"`);
    const status = JSON.parse(
      await run(`aws kms get-key-rotation-status --key-id "$(cat key-id.txt)" --output json`),
    ) as { KeyRotationEnabled: boolean; RotationPeriodInDays: number; NextRotationDate: number };
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
    const due = epochSeconds(status.NextRotationDate);

    sim.advanceClock(due - sim.now().getTime() / 1000 + 60);
    const after = await run(`
KEY_ID=$(cat key-id.txt)
aws kms list-key-rotations --key-id "$KEY_ID" --query 'Rotations[].RotationType' --output text
aws kms decrypt --ciphertext-blob fileb://old.bin --query Plaintext --output text | base64 -d
echo
aws kms get-key-rotation-status --key-id "$KEY_ID" --query NextRotationDate --output text`);
    const [types, plaintext, next] = after.split('\n');
    expect(types).toBe('AUTOMATIC');
    expect(plaintext).toBe('made before the rotation');

    sim.advanceClock(epochSeconds(next!) - sim.now().getTime() / 1000 - 10 * 60);
    const conflict = await bash(sim, temp.dir, `aws kms rotate-key-on-demand --key-id "${keyId}"`);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain(
      'An error occurred (ConflictException) when calling the RotateKeyOnDemand operation: The request was rejected because an automatic rotation of this key is currently in progress or scheduled to begin within the next 20 minutes.',
    );
  });

  it('a key with imported material: UnsupportedOperationException', async () => {
    const result = await bash(
      sim,
      temp.dir,
      `KEY_ID=$(aws kms create-key --origin EXTERNAL --query KeyMetadata.Arn --output text)
echo "$KEY_ID"
aws kms enable-key-rotation --key-id "$KEY_ID"`,
    );
    const arn = result.stdout.trim();
    expect(arn).toMatch(/^arn:aws:kms:/);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      `An error occurred (UnsupportedOperationException) when calling the EnableKeyRotation operation: ${arn} origin is EXTERNAL which is not valid for this operation.`,
    );
  });
});
