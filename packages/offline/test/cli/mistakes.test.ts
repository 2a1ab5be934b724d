import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCodeNotShown } from '../../../../test/code-not-shown.js';
import { bundleDigest, checkCodeOf, type ImportRequestBundle } from '@byok-ceremony/shared';
import { importRequest } from '../helpers/request-fixture.js';
import { runCli, tempDir, type CliResult } from '../helpers/run-cli.js';

// In-process, `stdinLines` is a terminal as far as the prompts can tell (deps.interactive).
const PROMPT = 'type the check code shown on the other machine';
const PASSPHRASE = 'correct horse battery staple';

function codeOf(request: ImportRequestBundle): string {
  return checkCodeOf(bundleDigest(request));
}

/** The code with its second group typed wrong, as a slip of the keyboard would. */
function slipInGroup2(code: string): string {
  const groups = code.split('-');
  const g = groups[1]!;
  groups[1] = (g[0] === 'Z' ? 'Y' : 'Z') + g.slice(1);
  return groups.join('-');
}

function entries(dir: string): Record<string, unknown>[] {
  const path = join(dir, 'byok-offline-audit.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function setup(): { dir: string; request: ImportRequestBundle; code: string } {
  const dir = tempDir();
  const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }]);
  writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
  return { dir, request, code: codeOf(request) };
}

const WRAP = ['wrap', '--request', 'request.json', '--out', 'wrapped.json'];
const OPERATORS = ['--operator', 'ALICE', '--operator', 'BOB'];

const promptsIn = (stderr: string, operator: string): number =>
  stderr.split(`${operator}, ${PROMPT}`).length - 1;

describe('a mistyped check code at the prompt is typed again', () => {
  it('says which group differs (never the code), asks again, and the entry records the try', async () => {
    const { dir, code } = setup();
    const r = await runCli([...WRAP, '--no-backup', ...OPERATORS], dir, {
      stdinLines: [slipInGroup2(code), code, code],
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'ALICE, that code does not match: group 2 of 5 differs. Compare it with the other machine',
    );
    expect(r.stderr).toContain('(try 2 of 3)');
    expect(promptsIn(r.stderr, 'ALICE')).toBe(2);
    expect(promptsIn(r.stderr, 'BOB')).toBe(1);
    // The request's code is read off the other machine, never shown here.
    expectCodeNotShown(r.stderr, code);
    const entry = entries(dir).at(-1)!;
    expect(entry).toMatchObject({ command: 'wrap', outcome: 'ok', checkCodes: { request: code } });
    expect(entry['exceptions']).toEqual(['check-code-mistyped:ALICE', 'no-backup']);
  });

  it('fails after 3 wrong tries, each on record, the error naming the group', async () => {
    const { dir, code } = setup();
    const wrong = slipInGroup2(code);
    const r = await runCli([...WRAP, '--no-backup', ...OPERATORS], dir, {
      stdinLines: [code, wrong, wrong, wrong],
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^byok-offline: error: the check code confirmed by BOB does not match this import request \(BOB: group 2 of 5 differs\)$/m,
    );
    expect(promptsIn(r.stderr, 'BOB')).toBe(3);
    expect(existsSync(join(dir, 'wrapped.json'))).toBe(false);
    const entry = entries(dir).at(-1)!;
    expect(entry).toMatchObject({ outcome: 'error', error: { code: 'ERR_CHECK_CODE_MISMATCH' } });
    expect(entry['exceptions']).toEqual([
      'check-code-mistyped:BOB',
      'check-code-mistyped:BOB',
      'check-code-mistyped:BOB',
    ]);
  });

  it('a wrong --check-code fails at once, with no prompt', async () => {
    const { dir, code } = setup();
    const r = await runCli(
      [...WRAP, '--no-backup', '--operator', 'ALICE', '--check-code', slipInGroup2(code)].concat([
        '--operator',
        'BOB',
        '--check-code',
        code,
      ]),
      dir,
      { stdinLines: [code, code] },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain(PROMPT);
    expect(r.stderr).toContain('(ALICE: group 2 of 5 differs)');
    expect(entries(dir).at(-1)!['exceptions']).toEqual([]);
  });

  it('a code of the wrong shape is said to be so', async () => {
    const { dir, code } = setup();
    const r = await runCli([...WRAP, '--no-backup', ...OPERATORS], dir, {
      stdinLines: [code.slice(0, -1), code, code],
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('it has 19 characters, a code has 20 (5 groups of 4)');
  });
});

/** Keys for ALICE and BOB, each with its passphrase file. */
async function operatorKeys(dir: string): Promise<void> {
  for (const name of ['ALICE', 'BOB']) {
    writeFileSync(join(dir, `${name}.pass`), `${PASSPHRASE}\n`, { mode: 0o600 });
    const r = await runCli(
      ['operator', 'keygen', '--name', name, '--passphrase-file', `${name}.pass`],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
  }
}

const KEYS = [
  '--operator-key',
  'operator-alice.key.json',
  '--operator-key',
  'operator-bob.key.json',
];

describe('a mistyped operator-key passphrase at the prompt is typed again', () => {
  it('asks again, the entry records the try and is signed by both', { timeout: 0 }, async () => {
    const { dir, code } = setup();
    await operatorKeys(dir);
    const r = await runCli([...WRAP, '--no-backup', ...OPERATORS, ...KEYS], dir, {
      stdinLines: [code, code, 'not the passphrase at all', PASSPHRASE, PASSPHRASE],
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'ALICE, that passphrase does not open your operator key; type it again (try 2 of 3)',
    );
    const entry = entries(dir).at(-1)!;
    expect(entry['exceptions']).toEqual(['passphrase-mistyped:ALICE', 'no-backup']);
    expect(entry['signatures']).toHaveLength(2);
  });

  it('a wrong --passphrase-file is refused before any code is asked', { timeout: 0 }, async () => {
    const { dir, code } = setup();
    await operatorKeys(dir);
    writeFileSync(join(dir, 'wrong.pass'), 'not the passphrase at all\n', { mode: 0o600 });
    const r = await runCli(
      [...WRAP, '--no-backup', ...OPERATORS, ...KEYS].concat([
        '--passphrase-file',
        'wrong.pass',
        '--passphrase-file',
        'BOB.pass',
      ]),
      dir,
      { stdinLines: [code, code] },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^byok-offline: error: the passphrase does not open ALICE's/m);
    expect(r.stderr).not.toContain(PROMPT);
    expect(r.stderr).not.toContain('type it again');
  });
});

describe('a new age passphrase typed twice differently is asked again', () => {
  it('after the confirmed codes, up to 3 tries; the backup opens with the pair typed alike, not the first', async () => {
    const { dir, code } = setup();
    const second = 'another long passphrase';
    const r = await runCli(
      [...WRAP, ...OPERATORS, '--backup', 'age:passphrase', '--backup-dir', 'backup'],
      dir,
      { stdinLines: [code, code, PASSPHRASE, `${PASSPHRASE}!`, second, second] },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'The two passphrases differ; type the new passphrase again, twice (try 2 of 3)',
    );
    expect(r.stderr).not.toContain(PASSPHRASE);
    expect(r.stderr).not.toContain(second);
    const first = JSON.parse(
      readFileSync(join(dir, 'request.json'), 'utf8'),
    ) as ImportRequestBundle;
    const fresh = importRequest([
      { keySpec: 'SYMMETRIC_DEFAULT', keyArn: first.targets[0]!.keyArn },
    ]);
    const next = { ...fresh, targets: fresh.targets.map((t) => ({ ...t, materialGroup: 'g0' })) };
    writeFileSync(join(dir, 'next.json'), JSON.stringify(next));
    const recover = async (passphrase: string, out: string): Promise<CliResult> => {
      writeFileSync(join(dir, `${out}.pass`), `${passphrase}\n`, { mode: 0o600 });
      return runCli(
        [
          'recover',
          '--age',
          'backup/material-set.age',
          '--age-passphrase-file',
          `${out}.pass`,
        ].concat(['--request', 'next.json', '--out', `${out}.json`, ...OPERATORS]),
        dir,
        { stdinLines: [codeOf(next), codeOf(next)] },
      );
    };
    expect((await recover(PASSPHRASE, 'first-try')).code).not.toBe(0);
    const recovered = await recover(second, 'second-try');
    expect(recovered.code, recovered.stderr).toBe(0);
    // Three tries that fail end the command with no backup and no output written.
    const fails = await runCli(
      ['wrap', '--request', 'request.json', '--out', 'wrapped-2.json', ...OPERATORS].concat([
        '--backup',
        'age:passphrase',
        '--backup-dir',
        'backup-2',
      ]),
      dir,
      { stdinLines: [code, code, 'a', PASSPHRASE, 'short', 'c'] },
    );
    expect(fails.code).toBe(1);
    expect(fails.stderr).toContain('choose another (try 2 of 3)');
    expect(fails.stderr).toContain(
      'The two passphrases differ; type the new passphrase again, twice (try 3 of 3)',
    );
    expect(fails.stderr).toMatch(
      /^byok-offline: error: no new passphrase after 3 tries: the passphrase is shorter than 12 characters; choose another$/m,
    );
    expect(existsSync(join(dir, 'backup-2'))).toBe(false);
    expect(existsSync(join(dir, 'wrapped-2.json'))).toBe(false);
  });
});

/** A wrap with shares 2-of-3 and an age passphrase file, for recover to start from. */
async function backedUp(): Promise<{ dir: string; next: ImportRequestBundle }> {
  const { dir, code } = setup();
  writeFileSync(join(dir, 'age.pass'), `${PASSPHRASE}\n`, { mode: 0o600 });
  const r = await runCli(
    [...WRAP, '--backup', 'shamir:2-of-3', '--backup', 'age:passphrase']
      .concat(['--backup-passphrase-file', 'age.pass', '--backup-dir', 'backup'])
      .concat(['--operator', 'ALICE', '--check-code', code, '--operator', 'BOB'])
      .concat(['--check-code', code]),
    dir,
  );
  expect(r.code, r.stderr).toBe(0);
  const first = JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8')) as ImportRequestBundle;
  const fresh = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT', keyArn: first.targets[0]!.keyArn }]);
  const next = { ...fresh, targets: fresh.targets.map((t) => ({ ...t, materialGroup: 'g0' })) };
  writeFileSync(join(dir, 'next.json'), JSON.stringify(next));
  return { dir, next };
}

/** Refused with `message`, before any prompt: no prompt text, nothing written. */
function refusedBeforePrompts(r: CliResult, dir: string, message: RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(new RegExp(`^byok-offline: error: .*${message.source}`, 'm'));
  expect(r.stderr).not.toContain(PROMPT);
  expect(r.stderr).not.toContain('passphrase for the age backup');
  expect(existsSync(join(dir, 'out.json'))).toBe(false);
}

describe('every refusal that needs no code comes before the first prompt', () => {
  it('recover: shares of two splits, too few shares, an unreadable share, an unusable passphrase file', async () => {
    const { dir, next } = await backedUp();
    const other = await backedUp();
    const recover = (args: string[]): Promise<CliResult> =>
      runCli(
        ['recover', ...args, '--request', 'next.json', '--out', 'out.json', ...OPERATORS],
        dir,
        {
          stdinLines: [codeOf(next), codeOf(next)],
        },
      );
    refusedBeforePrompts(
      await recover([
        '--shares',
        'backup/share-1-of-3.txt',
        join(other.dir, 'backup/share-2-of-3.txt'),
      ]),
      dir,
      /is a share of ceremony/,
    );
    refusedBeforePrompts(
      await recover(['--shares', 'backup/share-1-of-3.txt']),
      dir,
      /1 share\(s\) given, but this split needs 2 of 3/,
    );
    refusedBeforePrompts(
      await recover(['--shares', 'backup/share-1-of-3.txt', 'backup/share-9-of-3.txt']),
      dir,
      /share-9-of-3\.txt/,
    );
    refusedBeforePrompts(
      await recover(['--age', 'backup/material-set.age', '--age-passphrase-file', 'missing.pass']),
      dir,
      /missing\.pass/,
    );
    // Each refusal is on record as a failure with no exception from a prompt.
    for (const entry of entries(dir).slice(-4)) {
      expect(entry).toMatchObject({ command: 'recover', outcome: 'error', exceptions: [] });
      expect(entry['checkCodes']).toEqual({});
    }
    const ok = await recover(['--shares', 'backup/share-1-of-3.txt', 'backup/share-3-of-3.txt']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('wrap: an unusable backup passphrase file or material file; no backup folder left behind', async () => {
    const { dir, code } = setup();
    const wrap = (args: string[]): Promise<CliResult> =>
      runCli(
        ['wrap', '--request', 'request.json', '--out', 'out.json', ...args, ...OPERATORS],
        dir,
        {
          stdinLines: [code, code],
        },
      );
    refusedBeforePrompts(
      await wrap(
        ['--backup', 'age:passphrase', '--backup-passphrase-file', 'missing.pass'].concat([
          '--backup-dir',
          'backup',
        ]),
      ),
      dir,
      /missing\.pass/,
    );
    expect(existsSync(join(dir, 'backup'))).toBe(false);
    refusedBeforePrompts(await wrap(['--material-file', 'missing.key']), dir, /missing\.key/);
  });
});

describe('a failed command leaves nothing it created behind', () => {
  it('wrap removes the --backup-dir it made, and only empties one that existed', async () => {
    const { dir, code } = setup();
    const wrongCodes = ['--operator', 'ALICE', '--check-code', slipInGroup2(code)].concat([
      '--operator',
      'BOB',
      '--check-code',
      code,
    ]);
    const wrap = (backupDir: string): Promise<CliResult> =>
      runCli(
        [
          'wrap',
          '--request',
          'request.json',
          '--out',
          'out.json',
          '--backup',
          'shamir:2-of-3',
        ].concat(['--backup-dir', backupDir, '--qr', 'frames', ...wrongCodes]),
        dir,
      );
    const made = await wrap('new/backup');
    expect(made.code).toBe(1);
    expect(made.stderr).toContain('does not match');
    expect(readdirSync(dir).sort()).toEqual(['byok-offline-audit.jsonl', 'request.json']);
    mkdirSync(join(dir, 'kept'));
    const existing = await wrap('kept');
    expect(existing.code).toBe(1);
    expect(readdirSync(join(dir, 'kept'))).toEqual([]);
  });
});
