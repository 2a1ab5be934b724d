import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseShareFile } from '@byok-ceremony/shared';
import { AuditSession, runAudited } from '@byok-ceremony/node-io';
import { backupDirPlan } from '../../src/io/backup-plan.js';
import { nodeSha256 } from '../../src/ops/node-sha256.js';
import type { MaterialReady } from '../../src/ops/wrap-request.js';
import { NOW, importRequest } from '../helpers/request-fixture.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'byok-backup-plan-'));
  made.push(dir);
  const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }, { keySpec: 'HMAC_256' }]);
  const materials: MaterialReady[] = [...new Set(request.targets.map((t) => t.materialGroup))].map(
    (materialGroup, i) => ({
      materialGroup,
      keySpec: request.targets.find((t) => t.materialGroup === materialGroup)!.keySpec,
      bytes: Buffer.alloc(32, i + 1),
      origin: 'generated',
    }),
  );
  const session = new AuditSession('wrap', ['ALICE', 'BOB']);
  const plan = backupDirPlan(
    {
      specs: [{ kind: 'shamir', threshold: 2, shares: 3 }],
      dir: join(dir, 'backup'),
      passphrase: () => Promise.reject(new Error('no passphrase is needed')),
      assertPassphraseUsable: () => Promise.reject(new Error('no passphrase is needed')),
      now: () => NOW,
    },
    session,
  );
  if (plan.kind !== 'write') throw new Error('a write plan');
  return { dir, request, materials, session, plan };
}

describe('backupDirPlan', () => {
  it('writes each share and its page 0600 into a new folder, and records digests, never a share', async () => {
    const { dir, request, materials, session, plan } = fixture();
    await plan.assertUsable?.();
    const record = await plan.write(materials, request);
    const names = readdirSync(join(dir, 'backup')).sort();
    expect(names).toEqual([
      'share-1-of-3.html',
      'share-1-of-3.txt',
      'share-2-of-3.html',
      'share-2-of-3.txt',
      'share-3-of-3.html',
      'share-3-of-3.txt',
    ]);
    for (const name of names) expect(statSync(join(dir, 'backup', name)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'backup')).mode & 0o777).toBe(0o700);
    expect(Object.keys(record.outputs).sort()).toEqual(names);
    expect(record.audit?.covers.map((c) => c.materialGroup)).toEqual(
      materials.map((m) => m.materialGroup),
    );
    // The folder it made, then each file: a failed wrap removes all of them.
    const [folder, ...files] = session.observed().written ?? [];
    expect(folder).toBe(join(dir, 'backup'));
    expect(files.sort()).toEqual(names.map((n) => join(dir, 'backup', n)));
    const share = parseShareFile(
      readFileSync(join(dir, 'backup', 'share-1-of-3.txt'), 'latin1'),
      nodeSha256,
    );
    expect(share.ceremonyId).toBe(request.ceremonyId);
    expect(JSON.stringify(record)).not.toContain(Buffer.from(share.share).toString('base64'));
  });

  it('refuses a folder that is not empty before anything is written', async () => {
    const { dir, plan } = fixture();
    mkdirSync(join(dir, 'backup'));
    writeFileSync(join(dir, 'backup', 'old.txt'), 'x');
    await expect(plan.assertUsable?.()).rejects.toMatchObject({ code: 'ERR_OUTPUT_EXISTS' });
  });

  it('a wrap that fails after the backups were written removes every backup file', async () => {
    const { dir, request, materials, session, plan } = fixture();
    await plan.assertUsable?.();
    await expect(
      runAudited(
        session,
        async () => {
          await plan.write(materials, request);
          expect(readdirSync(join(dir, 'backup'))).toHaveLength(6);
          throw new Error('wrapping failed');
        },
        {
          auditLog: join(dir, 'audit.jsonl'),
          tool: 'byok-offline',
          toolVersion: '0.0.0',
          now: () => NOW,
          stderr: () => undefined,
        },
      ),
    ).rejects.toThrow('wrapping failed');
    // The folder was made by this wrap: it goes too, nothing of the failed command is left.
    expect(existsSync(join(dir, 'backup'))).toBe(false);
    expect(existsSync(dir)).toBe(true);
  });

  it('a failed wrap empties a folder that existed before, and leaves the folder', async () => {
    const { dir, request, materials, session, plan } = fixture();
    mkdirSync(join(dir, 'backup'));
    await plan.assertUsable?.();
    await expect(
      runAudited(
        session,
        async () => {
          await plan.write(materials, request);
          throw new Error('wrapping failed');
        },
        {
          auditLog: join(dir, 'audit.jsonl'),
          tool: 'byok-offline',
          toolVersion: '0.0.0',
          now: () => NOW,
          stderr: () => undefined,
        },
      ),
    ).rejects.toThrow('wrapping failed');
    expect(readdirSync(join(dir, 'backup'))).toEqual([]);
  });
});
