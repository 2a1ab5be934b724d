import { describe, expect, it } from 'vitest';
import { checkCodeOf, verifyAuditChain, verifyTranscript } from '../../src/index.js';
import { Log, record } from './fixture-logs.js';

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555';
const M0 = '1'.repeat(64); // the key's first material
const M1 = '2'.repeat(64); // the material a first rotation made current
const keyOf = { keyArn: ARN, keySpec: 'SYMMETRIC_DEFAULT', materialGroup: 'g0' };

/**
 * A first import (M0), a rotation to M1, then a third run whose import, as the online log's
 * controller rewrote it, records the key "rotated" to M0: material the key had long before, and
 * no KCV, so the wrap's KCV for the new material is compared with nothing.
 */
function logsRotatingBackToOldMaterial() {
  const online = new Log('byok-online');
  const offline = new Log('byok-offline');
  online.append(record({ command: 'create-key', operators: [], keys: [keyOf] }));
  const run = (
    n: number,
    prepared: Record<string, unknown>,
    wrappedKcv: string,
    imported: Record<string, unknown>,
    outputs: Record<string, string>,
  ) => {
    const request = String(n + 3).repeat(64);
    const wrapped = String(n + 6).repeat(64);
    const requestHead = online.append(
      record({
        command: 'prepare',
        outputs: { request },
        checkCodes: { request: checkCodeOf(request) },
        keys: [{ ...keyOf, ...prepared }],
      }),
    );
    const wrappedHead = offline.append(
      record({
        command: 'wrap',
        inputs: { request },
        outputs: { wrapped },
        checkCodes: { request: checkCodeOf(request), wrapped: checkCodeOf(wrapped) },
        keys: [{ ...keyOf, kcv: wrappedKcv }],
        peerLogHead: requestHead,
      }),
    );
    online.append(
      record({
        command: 'import',
        inputs: { request, wrapped },
        outputs,
        checkCodes: { wrapped: checkCodeOf(wrapped) },
        keys: [{ ...keyOf, ...imported, keyState: 'Enabled', proof: 'kcv-only' }],
        peerLogHead: wrappedHead,
      }),
    );
  };
  run(0, {}, 'AAAAAA', { keyMaterialId: M0, kcv: 'AAAAAA' }, {});
  run(
    1,
    { currentKeyMaterialId: M0 },
    'BBBBBB',
    { keyMaterialId: M1, kcv: 'BBBBBB' },
    {
      [`rotation:${ARN}`]: M1,
    },
  );
  // The forged import: no kcv, M0 as the "new" material and as the rotation's target.
  run(
    2,
    { currentKeyMaterialId: M1 },
    'CCCCCC',
    { keyMaterialId: M0 },
    { [`rotation:${ARN}`]: M0 },
  );
  return { online: online.text(), offline: offline.text() };
}

describe('audit verify: a rotation back to material the key held before the last one', () => {
  it("is not VERIFIED: M0 was the key's material before M1, so importing it is nothing new", () => {
    const logs = logsRotatingBackToOldMaterial();
    const chains = [
      verifyAuditChain('online.jsonl', logs.online),
      verifyAuditChain('offline.jsonl', logs.offline),
    ];
    // Anchored as an auditor holding the paper record would be: both heads.
    const result = verifyTranscript(chains, {
      verifyEd25519: () => false,
      expectedHeads: chains.map((c) => c.head!),
    });
    expect(result.verdict).not.toBe('VERIFIED');
    expect(result.findings.map((f) => f.code)).toContain('material-not-new');
  });
});
