import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleDigest, checkCodeOf } from '@byok-ceremony/shared';
import { importRequest } from '../helpers/request-fixture.js';
import { runCli, tempDir } from '../helpers/run-cli.js';

const CYRILLIC_O = '\u043e';

describe('byok-offline counts people, not spellings', () => {
  const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }]);
  const code = checkCodeOf(bundleDigest(request));

  async function wrapAs(first: string, second: string) {
    const dir = tempDir();
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const result = await runCli(
      [
        'wrap',
        '--request',
        'request.json',
        '--out',
        'wrapped.json',
        '--no-backup',
        ...['--operator', first, '--check-code', code, '--operator', second, '--check-code', code],
      ],
      dir,
    );
    return { dir, result };
  }

  it.each([
    ['ALICE', 'alice', 'named twice'],
    ['Bob', `B${CYRILLIC_O}b`, 'named twice'],
    ['Bob', 'Bob ', 'is not a valid name'],
    ['Bob', ' Bob', 'is not a valid name'],
  ])('wrap refuses --operator %j --operator %j', async (first, second, message) => {
    const { dir, result } = await wrapAs(first, second);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/^byok-offline: hint: /m);
    // Refused with the arguments: no output, no log entry, nothing wrapped.
    expect(existsSync(join(dir, 'wrapped.json'))).toBe(false);
    expect(existsSync(join(dir, 'byok-offline-audit.jsonl'))).toBe(false);
  });

  it('records names in NFKC: a full-width ALICE is ALICE', async () => {
    const { dir, result } = await wrapAs('\uff21\uff2c\uff29\uff23\uff25', 'BOB');
    expect(result.code, result.stderr).toBe(0);
    const log = readFileSync(join(dir, 'byok-offline-audit.jsonl'), 'utf8');
    expect(log).toContain('"operators":["ALICE","BOB"]');
  });

  it('operator keygen refuses a name with a trailing space', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pass'), 'a long enough passphrase\n');
    const r = await runCli(
      ['operator', 'keygen', '--name', 'BOB ', '--passphrase-file', 'pass'],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--name "BOB " is not a valid name');
    expect(r.stderr).toContain('hint: A name is 1–64 letters');
  });
});
