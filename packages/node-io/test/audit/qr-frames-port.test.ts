import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportRequestBundle } from '@byok-ceremony/shared';
// @ts-expect-error plain JavaScript shared with the benchmark
import { sampleImportRequest } from '../../../../bench/qr/sample-bundles.mjs';
import { AuditSession } from '../../src/audit/audit-session.js';
import { qrFramesPort } from '../../src/audit/qr-frames-port.js';
import { runAudited } from '../../src/audit/run-audited.js';

const work = mkdtempSync(join(tmpdir(), 'byok-qr-port-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const request = (sampleImportRequest as (n: number) => ImportRequestBundle)(1);

/** A command that wrote its QR frames to `dir`, then failed. */
async function failsAfterFrames(dir: string, log: string): Promise<void> {
  const session = new AuditSession('prepare', ['ALICE', 'BOB']);
  const port = qrFramesPort<ImportRequestBundle>(
    { dir, terminal: false, density: 'normal' },
    session,
  )!;
  await expect(
    runAudited(
      session,
      async () => {
        await port.assertUsable();
        await port.write(request);
        expect(readdirSync(dir).length).toBeGreaterThan(1);
        throw new Error('a later step failed');
      },
      {
        auditLog: join(work, log),
        tool: 'byok-online',
        toolVersion: '0.0.0',
        now: () => new Date(),
        stderr: () => undefined,
      },
    ),
  ).rejects.toThrow('a later step failed');
}

describe('--qr DIR of a command that fails', () => {
  it('is removed when the command made it (with the folders above it that it made)', async () => {
    await failsAfterFrames(join(work, 'new', 'frames'), 'a.jsonl');
    expect(existsSync(join(work, 'new'))).toBe(false);
  });

  it('is emptied, and kept, when it existed before', async () => {
    mkdirSync(join(work, 'kept'));
    await failsAfterFrames(join(work, 'kept'), 'b.jsonl');
    expect(readdirSync(join(work, 'kept'))).toEqual([]);
  });
});
