import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sha256ReadAloud } from '../src/index.js';

describe('sha256ReadAloud', () => {
  it('is what sha256sum and cut print, the command docs/airgap.md gives', () => {
    const input = 'byok-offline read-aloud form\n';
    const printed = execFileSync(
      'sh',
      ['-c', "sha256sum | cut -c1-4,5-8,9-12,13-16,17-20,21-24 --output-delimiter=' '"],
      { input, encoding: 'utf8' },
    ).trim();
    const digest = execFileSync('sha256sum', { input, encoding: 'utf8' }).slice(0, 64);
    expect(sha256ReadAloud(digest)).toBe(printed);
    expect(printed).toMatch(/^([0-9a-f]{4} ){5}[0-9a-f]{4}$/);
  });

  it('refuses anything but a SHA-256 in lowercase hex', () => {
    expect(() => sha256ReadAloud('AB'.repeat(32))).toThrow(TypeError);
    expect(() => sha256ReadAloud('ab'.repeat(16))).toThrow(TypeError);
  });
});
