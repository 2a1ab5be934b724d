import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { expectCodeNotShown } from '../../../test/code-not-shown.js';
import {
  carry,
  expectTranscriptVerified,
  logsOf,
  offlineAtTerminal,
} from './helpers/ceremony-driver.js';
import { runOnline } from './helpers/run-online.js';
import { simForThisFile } from './helpers/sim-env.js';
import { Ceremony, OFFLINE_OPS, ONLINE_OPS } from './lifecycle/ceremony-steps.js';

const s = simForThisFile();

/** The code with one character of its `group` (1-based) typed wrong. */
function slip(code: string, group: number): string {
  const groups = code.split('-');
  const g = groups[group - 1]!;
  groups[group - 1] = (g[0] === 'Z' ? 'Y' : 'Z') + g.slice(1);
  return groups.join('-');
}

async function lastEntry(log: string): Promise<{ exceptions: string[]; outcome: string }> {
  const lines = (await readFile(log, 'utf8')).trim().split('\n');
  return JSON.parse(lines.at(-1)!) as { exceptions: string[]; outcome: string };
}

describe('check codes mistyped at the prompts, then typed right', () => {
  it(
    'wrap at a terminal and import at the prompt go on; both logs VERIFIED with each try on record',
    {
      timeout: 0,
    },
    async () => {
      const c = await Ceremony.start(s);
      const arn = await c.createKey();
      const prep = await c.prepare('request.json', ['--key-id', arn]);
      const typed = await offlineAtTerminal(
        c,
        ['wrap', '--request', 'request.json', '--out', 'wrapped.json', '--no-backup'].concat([
          ...OFFLINE_OPS,
          '--json',
        ]),
        [
          { prompt: 'CAROL, type the check code', answer: slip(prep.checkCode, 3) },
          { prompt: 'CAROL, type the check code', answer: prep.checkCode },
          { prompt: 'DAVE, type the check code', answer: prep.checkCode },
        ],
      );
      expect(typed.code, typed.output).toBe(0);
      expect(typed.output).toContain('CAROL, that code does not match: group 3 of 5 differs.');
      const wrapped = JSON.parse(/^\{.*\}$/m.exec(typed.output)![0]) as { checkCode: string };
      await carry(c.offlineDir, c.onlineDir, ['wrapped.json']);

      const code = wrapped.checkCode;
      const imported = await runOnline(
        [
          ...s.flags,
          'import',
          '--request',
          'request.json',
          '--wrapped',
          'wrapped.json',
          ...ONLINE_OPS,
        ],
        {
          cwd: c.onlineDir,
          env: s.env,
          interactive: true,
          stdinText: `${code}\n${slip(code, 5)}\n${code}\n`,
        },
      );
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stderr).toContain('BOB, that code does not match: group 5 of 5 differs.');
      expectCodeNotShown(imported.stderr, code);

      const logs = logsOf(c);
      expect(await lastEntry(logs.offline)).toMatchObject({
        outcome: 'ok',
        exceptions: ['check-code-mistyped:CAROL', 'no-backup'],
      });
      expect(await lastEntry(logs.online)).toMatchObject({
        outcome: 'ok',
        exceptions: ['check-code-mistyped:BOB'],
      });
      await expectTranscriptVerified(c);
      const verify = await c.online(['audit', 'verify', logs.online, logs.offline, '--json']);
      const findings = (
        JSON.parse(verify.stdout) as { findings: { code: string; message: string }[] }
      ).findings;
      expect(
        findings
          .filter((f) => f.code === 'recorded-exception')
          .map((f) => f.message)
          .join('\n'),
      ).toMatch(
        /check-code-mistyped:BOB[\s\S]*check-code-mistyped:CAROL|check-code-mistyped:CAROL[\s\S]*check-code-mistyped:BOB/,
      );
    },
  );
});
