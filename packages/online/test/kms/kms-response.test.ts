import { describe, expect, it } from 'vitest';
import { checkBlob } from '../../src/kms/kms-response.js';

describe('checkBlob: a blob kept from an answer holds only its own bytes', () => {
  it('copies a view of a larger buffer (as the SDK decodes base64 into the 8 KiB pool) to one of its own size', () => {
    const pool = new Uint8Array(8192).fill(7);
    const view = new Uint8Array(pool.buffer, 100, 294);
    const kept = checkBlob('GetParametersForImport', 'PublicKey', view, 1, 4096);
    expect(kept.buffer.byteLength).toBe(294);
    expect(kept.byteOffset).toBe(0);
    expect(Buffer.from(kept).equals(Buffer.from(view))).toBe(true);
    pool.fill(0);
    expect(kept[0]).toBe(7);
  });

  it('refuses a blob outside its bounds, and what is not binary data', () => {
    expect(() =>
      checkBlob('GetParametersForImport', 'ImportToken', new Uint8Array(0), 1, 6144),
    ).toThrow(/invalid ImportToken: 0 bytes, not 1–6144/);
    expect(() => checkBlob('GetParametersForImport', 'ImportToken', 'AAAA', 1, 6144)).toThrow(
      /not binary data/,
    );
  });
});
