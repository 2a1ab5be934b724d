import { describe, expect, it } from 'vitest';
import { verifyAuditChain, verifyTranscript, type AuditFinding } from '../../src/index.js';
import { NEW_MATERIAL, OLD_MATERIAL, rotationLogs, verifyEd25519 } from './fixture-logs.js';

const errors = (findings: readonly AuditFinding[]) =>
  findings.filter((f) => f.severity === 'error').map((f) => `${f.code}@${f.file}:${f.line}`);

/** Verifies both logs anchored by their own heads, as with the paper record. */
function verify(logs: { online: string; offline: string }) {
  const chains = [
    verifyAuditChain('online.jsonl', logs.online),
    verifyAuditChain('offline.jsonl', logs.offline),
  ];
  const expectedHeads = chains.flatMap((c) => (c.head === null ? [] : [c.head]));
  return verifyTranscript(chains, { verifyEd25519, expectedHeads });
}

describe('audit verify: the materials a rotation puts on record', () => {
  it('accepts an honest rotation, its output labelled by the key ARN, with or without the first import in the log', () => {
    for (const logs of [rotationLogs(), rotationLogs({ withoutFirstImport: true })]) {
      const result = verify(logs);
      expect(errors(result.findings)).toEqual([]);
      expect(result.verdict).toBe('VERIFIED');
    }
  });

  it('accepts new material left pending rotation (import without --rotate)', () => {
    const result = verify(rotationLogs({ rotatedTo: null }));
    expect(errors(result.findings)).toEqual([]);
    expect(result.verdict).toBe('VERIFIED');
  });

  it('kcv-conflict: the old KeyMaterialId recorded again with the new KCV', () => {
    const result = verify(rotationLogs({ importedId: OLD_MATERIAL, rotatedTo: null }));
    expect(result.verdict).toBe('FAILED');
    expect(errors(result.findings)).toContain('kcv-conflict@online.jsonl:5');
    const finding = result.findings.find((f) => f.code === 'kcv-conflict')!;
    expect(finding.message).toBe(
      `line 5 (import) records KeyMaterialId ${OLD_MATERIAL} of arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555 with KCV BBBBBB, but online.jsonl:3 records it with KCV AAAAAA: one material has one KCV, so one of the records is false`,
    );
  });

  it('kcv-conflict is one material with two KCVs, not two materials with one KCV', () => {
    // Re-importing the same material elsewhere gives another id with the same KCV: no conflict.
    const result = verify(rotationLogs({ importedKcv: 'AAAAAA' }));
    expect(errors(result.findings)).toEqual([]);
  });

  it('material-not-new: a faked rotation recording the material the key had, even without the original log', () => {
    for (const logs of [
      rotationLogs({ importedId: OLD_MATERIAL, rotatedTo: null, withoutFirstImport: true }),
      rotationLogs({ importedId: OLD_MATERIAL, withoutFirstImport: true }),
    ]) {
      const result = verify(logs);
      expect(result.verdict).toBe('FAILED');
      expect(errors(result.findings)).toContain('material-not-new@online.jsonl:3');
      expect(result.findings.find((f) => f.code === 'material-not-new')?.message).toMatch(
        new RegExp(
          `^line 3 \\(import\\) records ${OLD_MATERIAL} for \\S+ as the material it imported, but the key already had that material when the request was prepared \\(online.jsonl:2\\): nothing new was imported$`,
        ),
      );
    }
  });

  it('material-not-new: a rotation recorded to the old material', () => {
    const result = verify(rotationLogs({ rotatedTo: OLD_MATERIAL }));
    expect(
      result.findings.filter((f) => f.code === 'material-not-new').map((f) => f.message),
    ).toEqual([expect.stringContaining('as the material it rotated to')]);
    expect(errors(result.findings)).toContain('rotation-missing@online.jsonl:5');
  });

  it('rotation-missing: an import that rotated (--rotate) but records no rotation of a key that took new material', () => {
    const result = verify(rotationLogs({ secondKey: true }));
    expect(result.verdict).toBe('FAILED');
    expect(errors(result.findings)).toEqual(['rotation-missing@online.jsonl:5']);
    expect(result.findings.find((f) => f.code === 'rotation-missing')?.message).toMatch(
      /^line 5 \(import\) rotated keys \(--rotate\) but records no rotation of material group g1 \(arn:aws:kms:eu-west-1:111122223333:key\/33333333-/,
    );
  });

  it('rotation-missing: a rotation to another material than the one imported', () => {
    const result = verify(rotationLogs({ rotatedTo: '7'.repeat(64) }));
    expect(errors(result.findings)).toEqual(['rotation-missing@online.jsonl:5']);
    expect(result.findings.find((f) => f.code === 'rotation-missing')?.message).toContain(
      `to ${'7'.repeat(64)}, not to ${NEW_MATERIAL}, the material it imported`,
    );
  });
});
