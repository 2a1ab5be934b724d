import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript shared with the benchmark
import { sampleImportRequest, sampleWrappedKeys } from '../../../../bench/qr/sample-bundles.mjs';
import { bundleDigest } from '../../src/bundle/digest.js';
import type { ImportRequestBundle, WrappedKeyBundle } from '../../src/bundle/types.js';
import { canonicalJson } from '../../src/digest/canonical-json.js';
import { bundleFromQrTransfer, bundleToQrFrames } from '../../src/qr/bundle-frames.js';
import { decodeCompactBundle, encodeCompactBundle } from '../../src/qr/compact-bundle.js';
import { FrameAssembler } from '../../src/qr/frame-assembler.js';

const request = (keys: number): ImportRequestBundle =>
  (sampleImportRequest as (n: number) => ImportRequestBundle)(keys);
const answer = (req: ImportRequestBundle): WrappedKeyBundle =>
  (sampleWrappedKeys as (r: ImportRequestBundle, o: object) => WrappedKeyBundle)(req, {
    requestDigest: bundleDigest(req),
  });

describe('compact bundle encoding', () => {
  it('decodes to the identical bundle (same digest) and is smaller than JSON', () => {
    for (const keys of [1, 3, 10]) {
      const req = request(keys);
      const ans = answer(req);
      const reqBytes = encodeCompactBundle(req);
      const ansBytes = encodeCompactBundle(ans);
      expect(bundleDigest(decodeCompactBundle(reqBytes, 'import-request'))).toBe(bundleDigest(req));
      expect(bundleDigest(decodeCompactBundle(ansBytes, 'wrapped-keys'))).toBe(bundleDigest(ans));
      expect(reqBytes.length).toBeLessThan(canonicalJson(req).length * 0.75);
      expect(ansBytes.length).toBeLessThan(canonicalJson(ans).length * 0.65);
    }
  });

  it('keeps multi-Region ARNs, unusual strings and millisecond timestamps exact', () => {
    const req = request(2);
    const odd = {
      ...req,
      createdAt: '2026-11-28T10:15:00.123Z',
      operators: ["Zoë O'Neil", '123456', 'abcdefgh'],
      targets: req.targets.map((t, i) => ({
        ...t,
        keyArn: `arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-${'0123456789abcdef'.repeat(2).slice(i)}${'f'.repeat(i)}`,
      })),
    } as ImportRequestBundle;
    expect(canonicalJson(decodeCompactBundle(encodeCompactBundle(odd), 'import-request'))).toBe(
      canonicalJson(odd),
    );
  });

  it('carries version 2 import types, KeyMaterialIds and expected KCVs, and still reads version 1 bytes', () => {
    const req = request(2);
    const v2 = {
      ...req,
      version: 2,
      targets: req.targets.map((t, i) => ({
        ...t,
        materialGroup: 'k1',
        keySpec: 'SYMMETRIC_DEFAULT',
        keyUsage: 'ENCRYPT_DECRYPT',
        wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        importType: i === 0 ? 'NEW_KEY_MATERIAL' : 'EXISTING_KEY_MATERIAL',
        keyMaterialId: i === 0 ? null : 'ab'.repeat(32),
        expectedKcv: i === 0 ? null : '0A1B2C',
      })),
    } as ImportRequestBundle;
    const bytes = encodeCompactBundle(v2);
    expect(bytes[0]).toBe(3);
    const back = decodeCompactBundle(bytes, 'import-request');
    expect(back.targets[1]).toMatchObject({
      importType: 'EXISTING_KEY_MATERIAL',
      keyMaterialId: 'ab'.repeat(32),
      expectedKcv: '0A1B2C',
    });
    expect(bundleDigest(back)).toBe(bundleDigest(v2));
    // The vocabulary of version 2 travels as one-byte references, not as text.
    expect(Buffer.from(bytes).includes(Buffer.from('EXISTING_KEY_MATERIAL'))).toBe(false);
    // Frames written by the release before still decode.
    const v1 = encodeCompactBundle(req, 1);
    expect(v1[0]).toBe(1);
    expect(bundleDigest(decodeCompactBundle(v1, 'import-request'))).toBe(bundleDigest(req));
    v1[0] = 4;
    expect(() => decodeCompactBundle(v1, 'import-request')).toThrow(
      /version 4, this tool reads 1, 2 and 3/,
    );
  });

  it('carries a version 3 request with each token as its 32-byte SHA-256, and still reads version 2 bytes', () => {
    const req = request(10);
    const v3 = {
      ...req,
      version: 3,
      planDigest: 'cd'.repeat(32),
      ceremonyName: 'Payments 2026 EU',
      targets: req.targets.map(({ importToken, ...t }) => ({
        ...t,
        importTokenSha256: createHash('sha256')
          .update(Buffer.from(importToken!, 'base64'))
          .digest('hex'),
        importType: 'NEW_KEY_MATERIAL',
        keyMaterialId: null,
        expectedKcv: null,
      })),
    } as ImportRequestBundle;
    const bytes = encodeCompactBundle(v3);
    expect(bytes[0]).toBe(3);
    const back = decodeCompactBundle(bytes, 'import-request');
    expect(bundleDigest(back)).toBe(bundleDigest(v3));
    expect(back.targets[0]!.importTokenSha256).toBe(v3.targets[0]!.importTokenSha256);
    // A hash is 32 bytes where the token was 1,400: the request is well under half its v1 size.
    expect(bytes.length).toBeLessThan(encodeCompactBundle(req).length * 0.5);
    expect(bundleToQrFrames(v3, 'normal').length).toBeLessThan(
      bundleToQrFrames(req, 'normal').length / 2,
    );
    // Compact version 2 carries it too, the new field names spelt out: longer.
    const asV2 = encodeCompactBundle(v3, 2);
    expect(bundleDigest(decodeCompactBundle(asV2, 'import-request'))).toBe(bundleDigest(v3));
    expect(asV2.length).toBeGreaterThan(bytes.length);
  });

  it('fits a one-key RSA_4096 answer in one frame at high density', () => {
    expect(bundleToQrFrames(answer(request(1)), 'high')).toHaveLength(1);
  });

  it('moves a bundle through frames and refuses the wrong kind or damaged bytes', () => {
    const req = request(2);
    const assembler = new FrameAssembler();
    for (const f of bundleToQrFrames(req, 'normal').reverse()) assembler.add(f);
    const transfer = assembler.result();
    expect(bundleFromQrTransfer(transfer, 'import-request')).toEqual(
      JSON.parse(canonicalJson(req)),
    );
    expect(() => bundleFromQrTransfer(transfer, 'wrapped-keys')).toThrow(
      /import-request bundle, not a wrapped-keys/,
    );
    const bytes = encodeCompactBundle(req);
    expect(() =>
      decodeCompactBundle(bytes.subarray(0, bytes.length - 5), 'import-request'),
    ).toThrow(/ends early/);
    expect(() => decodeCompactBundle(Uint8Array.of(9, 0), 'import-request')).toThrow(/version 9/);
    expect(() => decodeCompactBundle(encodeCompactBundle(req), 'wrapped-keys' as never)).toThrow();
  });
});
