import { ListKeysCommand } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaults, startKmsSim } from '../src/index.js';
import type { KmsSim } from '../src/index.js';
import { adminRequest, kmsClient } from './helpers.js';

async function outcomes(sim: KmsSim, count: number): Promise<string[]> {
  const kms = kmsClient(sim);
  const seen: string[] = [];
  for (let i = 0; i < count; i += 1) {
    try {
      await kms.send(new ListKeysCommand({}));
      seen.push('ok');
    } catch (error) {
      const name = (error as Error).name;
      seen.push(name === 'ThrottlingException' || name === 'KMSInternalException' ? name : 'reset');
    }
  }
  kms.destroy();
  return seen;
}

describe('fault injection and the simulated clock', () => {
  const started: KmsSim[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.close()));
  });

  it('parses the fault syntax strictly', () => {
    expect(parseFaults('throttle=0.1,internal=0.05,reset=0.02,latency=50ms')).toEqual({
      throttle: 0.1,
      internal: 0.05,
      reset: 0.02,
      latencyMs: 50,
    });
    expect(() => parseFaults('explode=0.1')).toThrow(/unknown fault 'explode'/);
    expect(() => parseFaults('throttle=2')).toThrow(/between 0 and 1/);
    expect(() => parseFaults('latency=fast')).toThrow(/duration/);
    expect(() => parseFaults('throttle=0.6,internal=0.6')).toThrow(/more than 1/);
  });

  it('injects the same faults in the same order for the same seed', async () => {
    const faults = 'throttle=0.3,internal=0.2,reset=0.1';
    const a = await startKmsSim({ faults, seed: 7, wrappingKeyPool: false });
    const b = await startKmsSim({ faults, seed: 7, wrappingKeyPool: false });
    started.push(a, b);
    const first = await outcomes(a, 30);
    const second = await outcomes(b, 30);
    expect(first).toEqual(second);
    expect(new Set(first)).toEqual(
      new Set(['ok', 'ThrottlingException', 'KMSInternalException', 'reset']),
    );
  });

  it('moves its clock through the admin endpoint and in-process, starting from --clock-offset', async () => {
    const sim = await startKmsSim({ clockOffsetSeconds: 3600, wrappingKeyPool: false });
    started.push(sim);
    const read = (await adminRequest(sim, '/_sim/clock')).json as {
      now: number;
      offsetSeconds: number;
    };
    expect(read.offsetSeconds).toBe(3600);
    const moved = (
      await adminRequest(sim, '/_sim/clock', { body: JSON.stringify({ advanceSeconds: 90 }) })
    ).json as { now: number; offsetSeconds: number };
    expect(moved.offsetSeconds).toBe(3690);
    expect(moved.now - read.now).toBeGreaterThanOrEqual(90);
    sim.advanceClock(10);
    expect((await adminRequest(sim, '/_sim/clock')).json.offsetSeconds).toBe(3700);
    const refused = await adminRequest(sim, '/_sim/clock', {
      body: JSON.stringify({ advanceSeconds: -5 }),
    });
    expect(refused.status).toBe(400);
    // Signatures are checked against real time, so a moved clock does not break authentication.
    expect(await outcomes(sim, 1)).toEqual(['ok']);
  });
});
