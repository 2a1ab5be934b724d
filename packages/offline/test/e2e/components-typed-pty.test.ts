import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bundleDigest,
  checkCodeOf,
  parseComponentFile,
  type ComponentFile,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import { materialKcv } from '../../src/ops/material-kcv.js';
import { nodeSha256 } from '../../src/ops/node-sha256.js';
import { importRequest, target } from '../helpers/request-fixture.js';
import { tempDir } from '../helpers/run-cli.js';
import { CLI, runProcess } from '../helpers/run-process.js';

const PTY_HELPER = join(import.meta.dirname, '../helpers/answer-prompts-pty.py');

/** Hex in groups of four, as a form's data line prints it. */
const groupsOfFour = (bytes: Uint8Array): string =>
  Buffer.from(bytes)
    .toString('hex')
    .toUpperCase()
    .replace(/(.{4})(?!$)/g, '$1 ');

/** What a custodian reads off their form and types. */
interface Typed {
  readonly data: string;
  readonly kcv: string;
}

/** Runs byok-offline on a pseudo-terminal in `dir`, typing each answer at its prompt. */
function atTerminal(
  dir: string,
  args: readonly string[],
  answers: readonly (readonly [string, string])[],
): { code: number | null; shown: string } {
  const answersFile = join(dir, `answers-${process.hrtime.bigint()}.json`);
  writeFileSync(answersFile, JSON.stringify(answers));
  const r = spawnSync('python3', [PTY_HELPER, answersFile, process.execPath, CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '' },
  });
  return { code: r.status, shown: r.stdout };
}

/** The prompts of `wrap --components 2` for each group, in order, with what the custodians type. */
function answersFor(
  groups: readonly { group: string; typed: readonly Typed[]; keyKcv: string }[],
): [string, string][] {
  return groups.flatMap(({ group, typed, keyKcv }) => [
    ...typed.flatMap((t, i): [string, string][] => [
      [`Custodian ${i + 1} of 2, type your component for ${group}`, t.data],
      [`Custodian ${i + 1}, type your component's KCV`, t.kcv],
    ]),
    [`All custodians of ${group}: type the key KCV from the forms`, keyKcv],
  ]);
}

describe('wrap --components at a terminal', () => {
  it('takes honest typed components; refuses a forged one typed with its own KCV, by the key KCV of the forms', () => {
    const dir = tempDir();
    const validTo = new Date(Date.now() + 24 * 3600 * 1000);
    const base = importRequest([]);
    const request = {
      ...base,
      targets: [
        target({ keySpec: 'SYMMETRIC_DEFAULT', validTo }, 0),
        target({ keySpec: 'HMAC_256', validTo }, 1),
      ],
    };
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const made = runProcess(
      ['components', 'new', '--custodians', '2', '--request', 'request.json', '--out-dir', 'forms'],
      dir,
    );
    expect(made.code, made.stderr).toBe(0);
    const forms = request.targets.map((t) =>
      [1, 2].map((i): ComponentFile =>
        parseComponentFile(
          readFileSync(join(dir, 'forms', `component-${t.materialGroup}-${i}-of-2.txt`), 'latin1'),
          nodeSha256,
        ),
      ),
    );
    const honest = forms.map((own) => ({
      group: own[0]!.materialGroup,
      typed: own.map((f) => ({ data: groupsOfFour(f.component), kcv: f.componentKcv })),
      keyKcv: own[0]!.keyKcv,
    }));
    const code = checkCodeOf(bundleDigest(request));
    const wrap = (out: string): string[] => [
      'wrap',
      '--request',
      'request.json',
      '--out',
      out,
      '--components',
      '2',
      ...['--operator', 'ALICE', '--check-code', code, '--operator', 'BOB', '--check-code', code],
    ];

    const ok = atTerminal(dir, wrap('out.json'), answersFor(honest));
    expect(ok.code, ok.shown).toBe(0);
    const bundle = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as WrappedKeyBundle;
    expect(bundle.materials.map((m) => m.kcv)).toEqual(honest.map((g) => g.keyKcv));
    for (const g of honest)
      expect(ok.shown).toContain(`Components of ${g.group} combined: key KCV ${g.keyKcv}`);

    // Custodian 2 types 32 bytes of their own and those bytes' own KCV: each component passes
    // its own check, and only the key KCV of the forms, typed after them, shows the key changed.
    const forgery = randomBytes(32);
    const forged = honest.map((g, n) =>
      n === 0
        ? {
            ...g,
            typed: [
              g.typed[0]!,
              {
                data: groupsOfFour(forgery),
                kcv: materialKcv('SYMMETRIC_DEFAULT', forgery),
              },
            ],
          }
        : g,
    );
    const refused = atTerminal(dir, wrap('out2.json'), answersFor(forged));
    expect(refused.code, refused.shown).toBe(1);
    expect(refused.shown).toContain(`All custodians of ${honest[0]!.group}: type the key KCV`);
    expect(refused.shown).toMatch(
      new RegExp(
        `byok-offline: error: the combined key has KCV [0-9A-F]{6}, not ${honest[0]!.keyKcv}, the key KCV of the forms`,
      ),
    );
    expect(refused.shown).toMatch(/byok-offline: hint: A component is not from this key's forms/);
    expect(refused.shown).not.toContain('combined: key KCV');
    expect(existsSync(join(dir, 'out2.json'))).toBe(false);
    const log = readFileSync(join(dir, 'byok-offline-audit.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(log.at(-1)!)).toMatchObject({
      command: 'wrap',
      outcome: 'error',
      error: { code: 'ERR_COMPONENT_INVALID' },
    });
  });
});
