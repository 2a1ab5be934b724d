import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatShareFile, parseShareFile, type ShareFile } from '../../src/custody/share-file.js';
import { sha256 } from './helpers.js';

const share: ShareFile = {
  ceremonyId: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f',
  setDigest: 'ab'.repeat(32),
  splitId: '0f'.repeat(16),
  index: 2,
  count: 3,
  threshold: 2,
  covers: [
    { materialGroup: 'k1', keySpec: 'SYMMETRIC_DEFAULT', kcv: '1A2B3C' },
    { materialGroup: 'k2', keySpec: 'HMAC_256', kcv: 'ABCDEF' },
  ],
  share: randomBytes(301),
};

function codeOf(text: string): string {
  try {
    parseShareFile(text, sha256);
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'accepted';
}

describe('share file format', () => {
  it('round-trips its labels and bytes', () => {
    const text = formatShareFile(share, sha256);
    expect(text.split('\n').slice(0, 9)).toEqual([
      'byok-ceremony material share v1',
      `ceremony-id: ${share.ceremonyId}`,
      `set-digest: ${share.setDigest}`,
      `split-id: ${share.splitId}`,
      'share: 2 of 3',
      'threshold: 2',
      'covers: k1 SYMMETRIC_DEFAULT KCV 1A2B3C',
      'covers: k2 HMAC_256 KCV ABCDEF',
      'bytes: 301',
    ]);
    const parsed = parseShareFile(text, sha256);
    expect({ ...parsed, share: Buffer.from(parsed.share) }).toEqual({
      ...share,
      share: Buffer.from(share.share),
    });
  });

  it('catches a one-character change at every position of the file', () => {
    const text = formatShareFile(share, sha256);
    for (let i = 0; i < text.length; i++) {
      const replacement = text[i] === 'A' ? 'B' : text[i] === '\n' ? ' ' : 'A';
      const changed = text.slice(0, i) + replacement + text.slice(i + 1);
      expect(codeOf(changed), `position ${i}`).toBe('ERR_SHARE_INVALID');
    }
  });

  it('refuses a truncated file, CRLF line ends and a missing check line', () => {
    const text = formatShareFile(share, sha256);
    expect(codeOf(text.slice(0, -30))).toBe('ERR_SHARE_INVALID');
    expect(codeOf(text.replace(/\n/g, '\r\n'))).toBe('ERR_SHARE_INVALID');
    expect(codeOf(text.replace(/check: .*\n$/, ''))).toBe('ERR_SHARE_INVALID');
  });
});
