import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ByokError,
  nextAuditEntryLine,
  type AuditKeyRecord,
  type ChainPosition,
} from '@byok-ceremony/shared';
import { prepareLifecycleOf } from '../../src/cli/prepare-lifecycle.js';
import { kcvOnRecord } from '../../src/ops/kcv-on-record.js';

const ARN = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ID = 'c'.repeat(64);
const OTHER_ID = 'd'.repeat(64);

interface Step {
  readonly command: 'wrap' | 'import';
  readonly outcome: 'ok' | 'error';
  readonly keys: readonly AuditKeyRecord[];
}

/** A log as a tool writes it: canonical lines, each naming the hash of the one before. */
function chainedLog(steps: readonly Step[]): string {
  let position: ChainPosition = { seq: 0, head: null };
  const lines: string[] = [];
  for (const step of steps) {
    const { line, hash } = nextAuditEntryLine(
      position,
      {
        command: step.command,
        operators: ['ALICE', 'BOB'],
        exceptions: [],
        inputs: {},
        outputs: {},
        checkCodes: {},
        keys: step.keys,
        kmsRequestIds: [],
        peerLogHead: null,
        outcome: step.outcome,
        error: step.outcome === 'ok' ? null : { code: 'ERR_KMS', message: 'refused' },
      },
      { time: '2026-12-01T08:00:00Z', tool: 'byok-online', toolVersion: '0.1.0' },
    );
    lines.push(line);
    position = { seq: position.seq + 1, head: hash };
  }
  return `${lines.join('\n')}\n`;
}

const imported = (kcv: string, keyMaterialId = ID, outcome: 'ok' | 'error' = 'ok'): Step => ({
  command: 'import',
  outcome,
  keys: [{ keyArn: ARN, kcv, keyMaterialId }],
});
const wrapped = (kcv: string): Step => ({
  command: 'wrap',
  outcome: 'ok',
  keys: [{ keyArn: ARN, kcv }],
});

function refusal(run: () => unknown): ByokError {
  try {
    run();
  } catch (error) {
    if (error instanceof ByokError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('prepare --original-record: the KCV pin a re-import takes from the original log', () => {
  it('refuses a file that is no audit log (no seq, no prev hashes, no chain)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'byok-original-record-'));
    // Anyone with the USB stick (or the log folder) can write this in one line.
    await writeFile(
      join(dir, 'forged.log'),
      `${JSON.stringify({ command: 'import', outcome: 'ok', keys: [{ keyArn: ARN, kcv: 'ABCDEF', keyMaterialId: ID }] })}\n`,
    );
    await expect(
      prepareLifecycleOf({ reimport: true, 'original-record': 'forged.log' }, [ARN], dir),
    ).rejects.toMatchObject({ code: 'ERR_AUDIT_VERIFY', message: /not an intact audit log/ });
  });

  it('refuses a log with an edited line: its hash no longer matches the next prev', () => {
    const log = chainedLog([imported('ABCDEF'), wrapped('ABCDEF')]).replace('ABCDEF', '123456');
    const e = refusal(() => kcvOnRecord(log, 'online.jsonl'));
    expect(e.code).toBe('ERR_AUDIT_VERIFY');
    expect(e.message).toMatch(/online\.jsonl:1: line 1 was edited/);
  });

  it('takes the KCV of the successful import, never of a refused attempt', () => {
    // An earlier attempt with the wrong material, refused by KMS, recorded with the named id.
    const log = chainedLog([imported('BADBAD', ID, 'error'), imported('ABCDEF')]);
    expect(kcvOnRecord(log, 'online.jsonl')(ARN, ID)).toBe('ABCDEF');
  });

  it('takes the import entry of the named KeyMaterialId over the KCVs of other materials', () => {
    const log = chainedLog([
      wrapped('ABCDEF'),
      imported('ABCDEF'),
      wrapped('123456'),
      imported('123456', OTHER_ID),
    ]);
    expect(kcvOnRecord(log, 'online.jsonl')(ARN, ID)).toBe('ABCDEF');
    expect(kcvOnRecord(log, 'online.jsonl')(ARN, OTHER_ID)).toBe('123456');
  });

  it('refuses, never drops, the pin when the record holds several KCVs for the key', () => {
    // An offline log after a rotation: two wraps, no KeyMaterialId to tell them apart.
    const e = refusal(() =>
      kcvOnRecord(chainedLog([wrapped('ABCDEF'), wrapped('123456')]), 'offline.jsonl')(ARN, null),
    );
    expect(e.code).toBe('ERR_AUDIT_LOG');
    expect(e.message).toContain(`holds 2 KCVs for ${ARN} (123456, ABCDEF): no single answer`);
    expect(e.hint).toContain('--expect-kcv KEY_ARN=KCV');
  });

  it('refuses a record that holds no KCV for the key (only a refused attempt, or other keys)', () => {
    const log = chainedLog([
      imported('BADBAD', ID, 'error'),
      { command: 'wrap', outcome: 'ok', keys: [] },
    ]);
    const e = refusal(() => kcvOnRecord(log, 'online.jsonl')(ARN, ID));
    expect(e.code).toBe('ERR_AUDIT_LOG');
    expect(e.message).toContain(
      `holds no successful wrap or import of ${ARN} material ${ID} with a KCV`,
    );
  });
});
