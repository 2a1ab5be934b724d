import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFLINE_BIN, ONLINE_BIN, runChild, type CliResult } from './helpers/run-online.js';
import { startSimEnv, type SimEnv } from './helpers/sim-env.js';

const RUNBOOK = fileURLToPath(new URL('../../../docs/ceremony.md', import.meta.url));

type Variant = 'usb' | 'qr';

interface Step {
  readonly machine: 'online' | 'offline';
  readonly line: string;
}

/** The commands of the ```sh runbook blocks of one variant (and of all variants), in order. */
function runbookSteps(markdown: string, variant: Variant): Step[] {
  const steps: Step[] = [];
  for (const block of markdown.matchAll(
    /^```sh runbook machine=(online|offline) variant=(all|usb|qr)\n([\s\S]*?)^```$/gm,
  )) {
    if (block[2] !== 'all' && block[2] !== variant) continue;
    const body = block[3]!.replace(/\\\n\s*/g, ' ');
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
const originalUmask = process.umask();

beforeAll(async () => {
  s = await startSimEnv();
});
afterAll(async () => {
  process.umask(originalUmask);
  await s.close();
});

/** One run of the runbook: two machines' folders, the media between them, what was read off screens. */
interface Ceremony {
  readonly dirs: Record<'online' | 'offline', string>;
  readonly vars: Record<string, string>;
  readonly transcript: { step: Step; result: CliResult }[];
}

async function newCeremony(variant: Variant): Promise<Ceremony> {
  const root = await mkdtemp(join(tmpdir(), `byok-runbook-${variant}-`));
  const dirs = { online: join(root, 'online'), offline: join(root, 'offline') };
  const usb = join(root, 'usb');
  const backup = join(root, 'backup');
  for (const dir of [...Object.values(dirs), usb, backup]) await mkdir(dir);
  // The cameras see exactly the frames each machine shows.
  const vars = {
    USB: usb,
    BACKUP: backup,
    CAMERA: join(dirs.online, 'request-qr'),
    SCREEN: join(dirs.offline, 'answer-qr'),
  };
  return { dirs, vars, transcript: [] };
}

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

async function run(ceremony: Ceremony, step: Step): Promise<CliResult> {
  const { dirs } = ceremony;
  const cwd = dirs[step.machine];
  const [command, ...args] = words(step.line, ceremony.vars);
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
    case 'umask':
      // The runbook's shell setting, for every file made after it (openssl's, the tools').
      process.umask(parseInt(args[0]!, 8));
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

/**
 * Fills the placeholders from what the tools printed, as the operators read it: each check code
 * off the screen of the machine that wrote the bundle, never off the machine that checks it, and
 * each log head off the screen of the machine that keeps the log.
 */
function capture(ceremony: Ceremony, step: Step, result: CliResult): void {
  const { vars } = ceremony;
  // The witness copies the short form, the head code, onto the paper record.
  const head = /^ {2}paper record: byok-(online|offline) head (\S+)$/m.exec(result.stdout);
  if (head !== null && step.line.includes(' audit head ') && head[1] === step.machine)
    vars[step.machine === 'online' ? 'ONLINE_HEAD' : 'OFFLINE_HEAD'] = head[2]!;
  if (step.machine === 'online') {
    const arn = /^Arn:\s+(arn:\S+)$/m.exec(result.stdout);
    if (arn !== null) vars['KEY_ARN'] = arn[1]!;
    const request = /Check code of the import request[^:]*: (\S+)/.exec(result.stdout);
    if (request !== null) vars['REQUEST_CHECK_CODE'] = request[1]!;
  } else {
    const wrapped = /Check code of the wrapped bundle[^:]*: (\S+)/.exec(result.stdout);
    if (wrapped !== null) vars['WRAPPED_CHECK_CODE'] = wrapped[1]!;
  }
}

const FIRST_WORDS: Record<Variant, string[]> = {
  usb: ['byok-offline inspect', 'byok-offline wrap', 'byok-online import', 'byok-offline recover'],
  qr: ['byok-offline scan', 'byok-offline wrap', 'byok-online import'],
};

describe.each(['usb', 'qr'] as const)('docs/ceremony.md, %s variant', (variant) => {
  let ceremony: Ceremony;

  it('runs every runbook command in order against byok-kms-sim', async () => {
    ceremony = await newCeremony(variant);
    const steps = runbookSteps(await readFile(RUNBOOK, 'utf8'), variant);
    expect(steps.map((st) => st.line.split(' ').slice(0, 2).join(' '))).toEqual(
      expect.arrayContaining([
        'byok-offline operator',
        'byok-online create-key',
        'byok-online prepare',
        ...FIRST_WORDS[variant],
        'byok-online audit',
        'byok-online report',
      ]),
    );
    for (const step of steps) {
      const result = await run(ceremony, step);
      ceremony.transcript.push({ step, result });
      expect(result.code, `${step.machine}$ ${step.line}\n${result.stderr}`).toBe(0);
      capture(ceremony, step, result);
    }
  });

  it('ends with both logs verified, signed by both operators, and the record written', async () => {
    const { transcript, dirs, vars } = ceremony;
    const verify = transcript.find((t) => t.step.line.startsWith('byok-online audit verify'));
    // Rehearsed against the simulator: verified, and marked as a rehearsal's record.
    expect(verify?.result.stdout).toMatch(
      /^VERIFIED \(rehearsal: KMS endpoint http:\/\/127\.0\.0\.1:\d+ is not AWS\): 2 log\(s\)/m,
    );
    expect(verify?.result.stdout).toMatch(
      /^KMS endpoint: http:\/\/127\.0\.0\.1:\d+ \(not AWS: a rehearsal\), in \d+ online line\(s\)$/m,
    );
    // Both heads were read off their machines' screens and checked.
    expect(verify?.step.line).toContain(`--expect-head ${'"$OFFLINE_HEAD"'}`);
    const headCode = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/;
    expect(vars['OFFLINE_HEAD']).toMatch(headCode);
    expect(vars['ONLINE_HEAD']).toMatch(headCode);
    const offlineLog = await readFile(join(dirs.offline, 'byok-offline-audit.jsonl'), 'utf8');
    const wrapLine = offlineLog.split('\n').find((l) => l.includes('"command":"wrap"'));
    expect(wrapLine).toContain('"operator":"ALICE"');
    expect(wrapLine).toContain('"operator":"BOB"');
    // The machine that reads a bundle never shows its check code before the operators typed it.
    const shownBefore = (prefix: string, code: string): void => {
      const t = transcript.find((x) => x.step.line.startsWith(prefix));
      expect(t, prefix).toBeDefined();
      const [before] = `${t!.result.stderr}\n${t!.result.stdout}`.split('Check code confirmed by');
      expect(before, prefix).not.toContain(code);
    };
    shownBefore('byok-offline wrap', vars['REQUEST_CHECK_CODE']!);
    shownBefore('byok-online import', vars['WRAPPED_CHECK_CODE']!);
    if (variant === 'qr') shownBefore('byok-offline scan', vars['REQUEST_CHECK_CODE']!);
    // inspect confirms nothing, so nothing it prints may carry the code, in any spelling.
    const inspected = transcript.find((x) => x.step.line.startsWith('byok-offline inspect'));
    const flat = (text: string): string => text.replace(/[-\s]/g, '').toLowerCase();
    expect(flat(`${inspected!.result.stdout}${inspected!.result.stderr}`)).not.toContain(
      flat(vars['REQUEST_CHECK_CODE']!),
    );
    const html = await readFile(join(dirs.online, 'ceremony-record.html'), 'utf8');
    expect(html).toContain('VERIFIED: the audit logs are intact');
    // The record covers the ceremony's own wrap (a recovery, if the variant has one, comes after it).
    const firstWrap = transcript.find((t) => t.step.line.startsWith('byok-offline wrap'));
    const firstCode = /Check code of the wrapped bundle[^:]*: (\S+)/.exec(
      firstWrap!.result.stdout,
    )?.[1];
    expect(html).toContain(firstCode);
    if (variant === 'usb') {
      // Step 7: status prints, beside the key's state, the KCV the import recorded: the wrap's.
      const kcv = /\bKCV ([0-9A-F]{6})\b/.exec(
        `${firstWrap!.result.stdout}${firstWrap!.result.stderr}`,
      )?.[1];
      const afterImport = transcript.find(
        (t) => t.step.line.includes('status --key-id') && t.step.line.includes('--record'),
      );
      expect(kcv).toBeDefined();
      expect(afterImport?.result.stdout).toContain(`  KCV on record      ${kcv!}\n`);
    }
    const recover = transcript.find((t) => t.step.line.startsWith('byok-offline recover'));
    if (variant === 'usb') {
      // The recovery script rebuilt the material from two shares and KMS took it back.
      expect(recover?.result.stdout).toMatch(/^Wrote .*recovered\.json$/m);
      const reimport = transcript.find(
        (t) => t.step.line.startsWith('byok-online import') && t.step.line.includes('recovered'),
      );
      expect(reimport?.step.line).toContain('recovered.json');
      expect(reimport?.result.code).toBe(0);
      // The rotation script left two materials, the new one current.
      const status = transcript.filter((t) => t.step.line.startsWith('byok-online status')).at(-1);
      expect(status?.result.stdout).toMatch(/key materials\s+2\n/);
      expect(status?.result.stdout).toMatch(/CURRENT IMPORTED/);
      expect(status?.result.stdout).toMatch(/NON_CURRENT IMPORTED/);
    }
    if (variant === 'qr') {
      // No bundle file crossed: only the QR frames did.
      expect(transcript.some((t) => /\bcp\b.*\.json\b/.test(t.step.line))).toBe(false);
      expect(offlineLog).toContain('"command":"scan"');
    }
  });
});
