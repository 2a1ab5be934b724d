import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByokError } from '@byok-ceremony/shared';
import { CreateKeyCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKmsSim } from '../../src/index.js';
import { authenticateLines, parseStateFile } from '../../src/state/persist.js';
import { kmsClient, tempDir } from '../helpers.js';

const numRuns = Number(process.env.BYOK_FUZZ_RUNS ?? 200);

/** Parsing either gives a state or fails with a ByokError that has a hint; nothing else. */
function parsesOrRefuses(bytes: Buffer, rootKey: Buffer): boolean {
  try {
    parseStateFile('state.json', bytes, rootKey);
    return true;
  } catch (error) {
    if (!(error instanceof ByokError)) throw error;
    expect(error.code).toBe('ERR_INPUT_FILE');
    expect(error.hint).toBeTruthy();
    return false;
  }
}

describe('fuzz: the state file parser', () => {
  const temp = tempDir();
  let rootKey: Buffer;
  let real: Buffer;

  beforeAll(async () => {
    // A real state file: keys, one pending deletion, as the simulator writes it.
    const stateFile = join(temp.dir, 'state.json');
    const sim = await startKmsSim({ stateFile, wrappingKeyPool: false });
    const kms = kmsClient(sim);
    const key = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
    await kms.send(new CreateKeyCommand({ Description: 'second' }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    kms.destroy();
    await sim.close();
    rootKey = readFileSync(`${stateFile}.key`);
    real = readFileSync(stateFile);
    expect(parsesOrRefuses(real, rootKey)).toBe(true);
  });
  afterAll(() => {
    temp.cleanup();
  });

  it('refuses any bytes that the simulator did not write, with a ByokError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        expect(parsesOrRefuses(Buffer.from(bytes), rootKey)).toBe(false);
      }),
      { numRuns },
    );
  });

  it('refuses every single-byte change of a real state file', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: real.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, delta) => {
          const changed = Buffer.from(real);
          changed[at] = (changed[at]! + delta) % 256;
          expect(parsesOrRefuses(changed, rootKey)).toBe(false);
        },
      ),
      { numRuns },
    );
  });

  it('refuses a change of case in any MAC digit, and every byte position changed by one', () => {
    for (let at = 0; at < real.length; at += 1) {
      const changed = Buffer.from(real);
      const byte = changed[at]!;
      changed[at] = byte >= 0x61 && byte <= 0x66 ? byte - 0x20 : byte ^ 1;
      expect(parsesOrRefuses(changed, rootKey), `byte ${at}`).toBe(false);
    }
  });

  it('refuses a real state file cut anywhere but at the end of a line', () => {
    expect(real.subarray(0, -1).includes(0x0a)).toBe(true); // a snapshot and change lines
    fc.assert(
      fc.property(fc.nat({ max: real.length - 1 }), (length) => {
        // Cut after a newline it is the older state it was then: a roll-back, which a MAC cannot show.
        const atLineEnd = length > 0 && real[length - 1] === 0x0a;
        expect(parsesOrRefuses(real.subarray(0, length), rootKey)).toBe(atLineEnd);
      }),
      { numRuns },
    );
  });

  it('checks authenticated lines strictly: any JSON in them is a state or a ByokError', () => {
    const snapshot = JSON.parse(real.subarray(0, real.indexOf(0x09)).toString('utf8')) as Record<
      string,
      unknown
    >;
    const line = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }),
      // The real snapshot with one member replaced by anything.
      fc
        .tuple(fc.constantFrom(...Object.keys(snapshot), 'extra'), fc.jsonValue({ maxDepth: 4 }))
        .map(([name, value]) => ({ ...snapshot, [name]: value })),
      // The real key records with one field of one record replaced by anything.
      fc
        .tuple(fc.nat(), fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 3 }))
        .map(([index, field, value]) => {
          const keys = snapshot.keys as Record<string, Record<string, unknown>>;
          const arns = Object.keys(keys);
          const arn = arns[index % arns.length]!;
          return { ...snapshot, keys: { ...keys, [arn]: { ...keys[arn], [field]: value } } };
        }),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 3 }), (lines) => {
        const bytes = authenticateLines(
          lines.map((value) => Buffer.from(JSON.stringify(value))),
          rootKey,
        );
        parsesOrRefuses(bytes, rootKey);
      }),
      { numRuns },
    );
  });

  it('refuses a file under another root key', () => {
    expect(parsesOrRefuses(real, randomBytes(32))).toBe(false);
  });
});
