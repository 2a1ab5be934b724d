import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auditEntryHash,
  bundleDigest,
  wrappingKeyFingerprint,
  type Bundle,
} from '@byok-ceremony/shared';
import {
  nodeAuditEntryHash,
  nodeBundleDigest,
  nodeWrappingKeyFingerprint,
} from '../../src/crypto/bundle-digest.js';

/** Any text, lone surrogates included (the strict JSON reader keeps them). */
const anyText = fc.string({ unit: 'binary', maxLength: 30 });
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anyText,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyText, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('node:crypto digests', () => {
  it('nodeBundleDigest equals shared bundleDigest on any JSON value', () => {
    fc.assert(
      fc.property(fc.dictionary(anyText, jsonish, { maxKeys: 6 }), (value) => {
        const bundle = value as unknown as Bundle;
        expect(nodeBundleDigest(bundle)).toBe(bundleDigest(bundle));
      }),
      { numRuns: 300 },
    );
    const lone = { format: '\ud800', note: 'x\udc00y', ok: 'Åsa 🔑' } as unknown as Bundle;
    expect(nodeBundleDigest(lone)).toBe(bundleDigest(lone));
  });

  it('nodeAuditEntryHash equals shared auditEntryHash on any line, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (line) => {
        expect(nodeAuditEntryHash(line)).toBe(auditEntryHash(line));
      }),
      { numRuns: 300 },
    );
    for (const line of ['\ud800', 'a\udc00', '\udbff\udfff', '\udfff\udbff', '{"a":"é"}'])
      expect(nodeAuditEntryHash(line)).toBe(auditEntryHash(line));
  });

  it('nodeWrappingKeyFingerprint equals shared wrappingKeyFingerprint', () => {
    for (const n of [0, 1, 294, 550]) {
      const der = randomBytes(n);
      expect(nodeWrappingKeyFingerprint(der)).toBe(wrappingKeyFingerprint(der));
    }
  });
});
