import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnline } from './helpers/run-online.js';

// Refused with the arguments: this endpoint is never contacted, and nothing is logged.
const FLAGS = ['--endpoint-url', 'http://127.0.0.1:9', '--region', 'eu-west-2'];
const CYRILLIC_O = '\u043e';

describe('byok-online counts people, not spellings', () => {
  const cases = [
    ['ALICE', 'alice', 'ERR_OPERATORS', 'the same operator is named twice'],
    ['Bob', `B${CYRILLIC_O}b`, 'ERR_OPERATORS', 'the same operator is named twice'],
    ['Bob', 'Bob ', 'ERR_USAGE', '--operator "Bob " is not a valid name'],
    // Cyrillic capitals that read as Latin ones: В О М А Х К Е Н Т.
    ['BOB', '\u0412\u041e\u0412', 'ERR_OPERATORS', 'the same operator is named twice'],
    ['TOM', '\u0422\u041e\u041c', 'ERR_OPERATORS', 'the same operator is named twice'],
    ['MAX', '\u041c\u0410\u0425', 'ERR_OPERATORS', 'the same operator is named twice'],
    ['KEH', '\u041a\u0415\u041d', 'ERR_OPERATORS', 'the same operator is named twice'],
  ] as const;
  const commands = [
    ['create-key', '--key-spec', 'SYMMETRIC_DEFAULT'],
    ['import', '--request', 'request.json', '--wrapped', 'wrapped.json'],
    [
      'import',
      'raw',
      '--key-id',
      'k',
      '--import-token',
      't.bin',
      '--encrypted-key-material',
      'm.bin',
    ],
    ['prepare', '--key-id', 'alias/x', '--out', 'request.json'],
    ['rotate', '--key-id', 'alias/x'],
    ['delete-material', '--key-id', 'alias/x'],
  ];
  for (const command of commands)
    it.each(cases)(`${command[0]!} refuses --operator %j --operator %j`, async (a, b, _, msg) => {
      const cwd = await mkdtemp(join(tmpdir(), 'byok-online-names-'));
      const r = await runOnline([...FLAGS, ...command, '--operator', a, '--operator', b], { cwd });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`byok-online: error: `);
      expect(r.stderr).toContain(msg);
      expect(r.stderr).toMatch(/^byok-online: hint: /m);
      expect(existsSync(join(cwd, 'byok-online-audit.jsonl'))).toBe(false);
    });
});
