import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFLINE_BIN, ONLINE_BIN, runChild, type CliResult } from './helpers/run-online.js';
import { startSimEnv, type SimEnv } from './helpers/sim-env.js';

const RUNBOOK = fileURLToPath(new URL('../../../docs/ceremony.md', import.meta.url));

interface Step {
  readonly machine: 'online' | 'offline';
  readonly line: string;
}

/** Every command of the ```sh runbook blocks, in order, with the machine it runs on. */
function runbookSteps(markdown: string): Step[] {
  const steps: Step[] = [];
  for (const block of markdown.matchAll(
    /^```sh runbook machine=(online|offline)\n([\s\S]*?)^```$/gm,
  )) {
    const body = block[2]!.replace(/\\\n\s*/g, ' ');
    for (const line of body.split('\n'))
      if (line.trim() !== '' && !line.trim().startsWith('#'))
        steps.push({ machine: block[1] as Step['machine'], line: line.trim() });
  }
  return steps;
}

/** Shell words with "double quotes" and $VARIABLES, which is all the runbook uses. */
function words(line: string, vars: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|(\S+)/g)) {
    const raw = m[1] ?? m[2]!;
    out.push(
      raw.replace(/\$([A-Z_]+)/g, (_, name: string) => {
        const value = vars[name];
        if (value === undefined)
          throw new Error(`runbook uses $${name} before any step set it: ${line}`);
        return value;
      }),
    );
  }
  return out;
}

let s: SimEnv;
let dirs: Record<'online' | 'offline' | 'usb', string>;
const vars: Record<string, string> = {};
const transcript: { step: Step; result: CliResult }[] = [];

beforeAll(async () => {
  s = await startSimEnv();
  const root = await mkdtemp(join(tmpdir(), 'byok-runbook-'));
  dirs = { online: join(root, 'online'), offline: join(root, 'offline'), usb: join(root, 'usb') };
  for (const dir of Object.values(dirs)) await mkdir(dir);
  vars['USB'] = dirs.usb;
});
afterAll(async () => {
  await s.sim.close();
});

/** The test has no terminal: passphrases come from files, as scripted runs give them. */
async function withPassphraseFiles(args: string[], cwd: string): Promise<string[]> {
  const extra: string[] = [];
  const names = args[0] === 'operator' ? [args[args.indexOf('--name') + 1]!] : [];
  args.forEach((a, i) => {
    if (a === '--operator-key')
      names.push(
        basename(args[i + 1]!)
          .split('.')[0]!
          .toUpperCase(),
      );
  });
  for (const name of names) {
    const file = `${name.toLowerCase()}.pass`;
    await writeFile(join(cwd, file), `${name} passphrase for the runbook\n`);
    extra.push('--passphrase-file', file);
  }
  return [...args, ...extra];
}

async function run(step: Step): Promise<CliResult> {
  const cwd = dirs[step.machine];
  const [command, ...args] = words(step.line, vars);
  const env = { ...s.env, AWS_ENDPOINT_URL_KMS: s.sim.url, AWS_REGION: s.sim.region };
  switch (command) {
    case 'byok-online':
      // Operators carry their own operator key files to the online machine.
      for (const [i, a] of args.entries())
        if (a === '--operator-key' || a === '--operator-pubkey')
          await copyFile(join(dirs.offline, args[i + 1]!), join(cwd, args[i + 1]!)).catch(
            () => undefined,
          );
      return runChild(ONLINE_BIN, await withPassphraseFiles(args, cwd), { cwd, env });
    case 'byok-offline':
      return runChild(OFFLINE_BIN, await withPassphraseFiles(args, cwd), { cwd, env });
    case 'openssl':
      execFileSync('openssl', args, { cwd });
      return { code: 0, stdout: '', stderr: '' };
    case 'cp': {
      const [from, to] = args.map((p) => (p.startsWith('/') ? p : join(cwd, p)));
      const isDir = await stat(to!).then(
        (st) => st.isDirectory(),
        () => false,
      );
      await copyFile(from!, isDir ? join(to!, basename(from!)) : to!);
      return { code: 0, stdout: '', stderr: '' };
    }
    default:
      throw new Error(`the runbook test does not know how to run: ${step.line}`);
  }
}

/** Fills the placeholders from what the tools printed, as the operators read it off the screen. */
function capture(result: CliResult): void {
  const arn = /^Arn:\s+(arn:\S+)$/m.exec(result.stdout);
  if (arn !== null) vars['KEY_ARN'] = arn[1]!;
  const request = /Check code of the import request[^:]*: (\S+)/.exec(result.stdout);
  if (request !== null) vars['REQUEST_CHECK_CODE'] = request[1]!;
  const wrapped = /Check code of the wrapped bundle[^:]*: (\S+)/.exec(result.stdout);
  if (wrapped !== null) vars['WRAPPED_CHECK_CODE'] = wrapped[1]!;
}

describe('docs/ceremony.md', () => {
  it('runs every runbook command in order against byok-kms-sim', async () => {
    const steps = runbookSteps(await readFile(RUNBOOK, 'utf8'));
    expect(steps.map((st) => st.line.split(' ').slice(0, 2).join(' '))).toEqual(
      expect.arrayContaining([
        'byok-offline operator',
        'byok-online create-key',
        'byok-online prepare',
        'byok-offline wrap',
        'byok-online import',
        'byok-online audit',
        'byok-online report',
      ]),
    );
    for (const step of steps) {
      const result = await run(step);
      transcript.push({ step, result });
      expect(result.code, `${step.machine}$ ${step.line}\n${result.stderr}`).toBe(0);
      capture(result);
    }
  });

  it('ends with both logs verified, signed by both operators, and the record written', async () => {
    const verify = transcript.find((t) => t.step.line.startsWith('byok-online audit verify'));
    expect(verify?.result.stdout).toMatch(/^VERIFIED: 2 log\(s\)/m);
    const offlineLog = await readFile(join(dirs.offline, 'byok-offline-audit.jsonl'), 'utf8');
    const wrapLine = offlineLog.split('\n').find((l) => l.includes('"command":"wrap"'));
    expect(wrapLine).toContain('"operator":"ALICE"');
    expect(wrapLine).toContain('"operator":"BOB"');
    const html = await readFile(join(dirs.online, 'ceremony-record.html'), 'utf8');
    expect(html).toContain('VERIFIED: the audit logs are intact');
    expect(html).toContain(vars['WRAPPED_CHECK_CODE']);
  });
});
