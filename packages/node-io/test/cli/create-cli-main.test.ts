import { Readable } from 'node:stream';
import { ByokError } from '@byok-ceremony/shared';
import { describe, expect, it } from 'vitest';
import { createCliMain } from '../../src/cli/create-cli-main.js';
import type { CliDeps } from '../../src/cli/deps.js';

function deps(): CliDeps & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    stdin: Readable.from([]),
    interactive: false,
    now: () => new Date(0),
    env: {},
    cwd: '/',
  };
}

const main = createCliMain<CliDeps>({
  tool: 'byok-test',
  version: '9.9.9',
  commands: [
    (cli, d) =>
      cli.command('ok', 'Succeeds', {}, () => {
        d.stdout('done\n');
      }),
    (cli) =>
      cli.command('fail', 'Fails', {}, () => {
        throw new ByokError('ERR_IO', 'cannot write x', { hint: 'Check the folder.' });
      }),
    (cli, d) =>
      cli.command('logged', 'Logs, then shows more', { fail: { type: 'boolean' } }, (argv) => {
        d.sayLast?.('byok-test: log head code AAAA\n');
        d.stderr('byok-test: 3 QR frame(s) in q\n');
        if (argv.fail === true) throw new ByokError('ERR_IO', 'cannot play the frames');
      }),
  ],
  globalOptions: (cli) => cli.option('region', { type: 'string', describe: 'A global option' }),
});

describe('createCliMain', () => {
  it('runs a command and exits 0; --help lists the commands and global options on stdout', async () => {
    const d = deps();
    expect(await main(['ok'], d)).toBe(0);
    expect(d.out).toEqual(['done\n']);
    const h = deps();
    expect(await main(['--help'], h)).toBe(0);
    expect(h.out.join('')).toMatch(/byok-test ok +Succeeds/);
    expect(h.out.join('')).toContain('--region');
  });

  it('prints what a command leaves for its end (the log head code) after all it printed', async () => {
    const d = deps();
    expect(await main(['logged'], d)).toBe(0);
    expect(d.err).toEqual(['byok-test: 3 QR frame(s) in q\n', 'byok-test: log head code AAAA\n']);
    // A failure after the entry was logged still shows the head, before the error.
    const f = deps();
    expect(await main(['logged', '--fail'], f)).toBe(1);
    expect(f.err.slice(0, 2)).toEqual([
      'byok-test: 3 QR frame(s) in q\n',
      'byok-test: log head code AAAA\n',
    ]);
    expect(f.err.join('')).toContain('byok-test: error: cannot play the frames');
  });

  it('exits 2 on a usage error, with the tool name and a hint on stderr', async () => {
    const d = deps();
    expect(await main(['nope'], d)).toBe(2);
    expect(d.err.join('')).toContain('byok-test: error: unknown option(s) or argument(s): nope');
    expect(d.err.join('')).not.toContain('Unknown argument');
    expect(d.err.join('')).toContain(
      "byok-test: hint: Check the spelling. Run byok-test --help, or byok-test COMMAND --help for a command's options.",
    );
  });

  it('exits 1 on a failed command, with no stack trace unless --debug', async () => {
    const d = deps();
    expect(await main(['fail'], d)).toBe(1);
    expect(d.err).toEqual([
      'byok-test: error: cannot write x\n',
      'byok-test: hint: Check the folder.\n',
    ]);
    const debug = deps();
    expect(await main(['fail', '--debug'], debug)).toBe(1);
    expect(debug.err.join('')).toContain('at ');
  });
});
