import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { REHEARSAL_CREDENTIALS } from '@byok-ceremony/kms-sim';
import { afterAll, describe, expect, it } from 'vitest';
import { OFFLINE_BIN, ONLINE_BIN, runChild, type CliResult } from '../helpers/run-online.js';
import { startSimEnv, type SimEnv } from '../helpers/sim-env.js';

const execFileAsync = promisify(execFile);
const RUNBOOK = fileURLToPath(new URL('../../../../docs/ceremony.md', import.meta.url));

/** The plan-driven ceremony (usb, qr) and the appendix's flag-driven one-off script. */
export type Variant = 'usb' | 'qr' | 'flags-usb' | 'flags-qr';
type Machine = 'online' | 'offline' | 'custodian';

interface Step {
  readonly machines: readonly Machine[];
  /** A command line, or a file the page gives whole (runbook-file=NAME). */
  readonly line: string;
  readonly file?: { readonly name: string; readonly text: string };
  /** In a block marked part=ceremony: typed in the room, between the plan check and the record. */
  readonly ceremony: boolean;
}

function blockFor(variants: string, variant: Variant): boolean {
  return variants.split(',').some((v) => v === 'all' || v === variant);
}

/**
 * The ```sh runbook blocks of one variant (variant=all, or a comma list), in order, and the files
 * the page gives whole (```yaml runbook-file=plan.yaml ...), written where the page says.
 */
function runbookSteps(markdown: string, variant: Variant): Step[] {
  const steps: Step[] = [];
  for (const block of markdown.matchAll(
    /^```(\w+) (runbook|runbook-file=(\S+)) machine=([a-z,]+) variant=([a-z,-]+)( part=ceremony)?\n([\s\S]*?)^```$/gm,
  )) {
    if (!blockFor(block[5]!, variant)) continue;
    const machines = block[4]!.split(',') as Machine[];
    const ceremony = block[6] !== undefined;
    if (block[3] !== undefined) {
      steps.push({
        machines,
        line: `(file ${block[3]})`,
        file: { name: block[3], text: block[7]! },
        ceremony,
      });
      continue;
    }
    const body = block[7]!.replace(/\\\n\s*/g, ' ');
    for (const line of body.split('\n'))
      if (line.trim() !== '' && !line.trim().startsWith('#'))
        steps.push({ machines, line: line.trim(), ceremony });
  }
  return steps;
}

function fill(text: string, vars: Readonly<Record<string, string>>, where: string): string {
  return text.replace(/\$([A-Z_]+)/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined)
      throw new Error(`runbook uses $${name} before any step set it: ${where}`);
    return value;
  });
}

/** Shell words with "double quotes" and $VARIABLES, which is all the runbook uses. */
function words(line: string, vars: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|(\S+)/g)) out.push(fill(m[1] ?? m[2]!, vars, line));
  return out;
}

const REPLICA_REGION = 'us-east-1';
const sims: SimEnv[] = [];

/** One run of the runbook: the machines' folders, the media between them, what was read off screens. */
interface Ceremony {
  readonly s: SimEnv;
  readonly dirs: Record<Machine, string>;
  readonly vars: Record<string, string>;
  readonly transcript: { step: Step; result: CliResult }[];
  /** What was typed at the prompts the test answers with flags: check codes, head codes. */
  readonly typedAtPrompts: { checkCodes: number; headCodes: number };
}

async function newCeremony(variant: Variant): Promise<Ceremony> {
  // Each run its own KMS: the plan's aliases name one set of keys per account.
  const s = await startSimEnv({ otherRegions: [REPLICA_REGION] });
  sims.push(s);
  const root = await mkdtemp(join(tmpdir(), `byok-runbook-${variant}-`));
  const dirs = {
    online: join(root, 'online'),
    offline: join(root, 'offline'),
    custodian: join(root, 'custodian'),
  };
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
  return { s, dirs, vars, transcript: [], typedAtPrompts: { checkCodes: 0, headCodes: 0 } };
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

/**
 * In the room the plan-driven commands ask at the terminal: each operator the check code read off
 * the other machine's screen, the witness the two head codes written down. The test has no
 * terminal, so it types the same answers as flags, and counts them.
 */
function withPromptAnswers(command: string, args: string[], ceremony: Ceremony): string[] {
  const { vars, typedAtPrompts } = ceremony;
  if (!args.includes('--plan')) return args;
  const operators = args.filter((a) => a === '--operator-key').length;
  const asksCheckCodes =
    (command === 'byok-offline' && (args[0] === 'wrap' || args[0] === 'recover')) ||
    (command === 'byok-online' && args[0] === 'import');
  if (asksCheckCodes && !args.includes('--check-code')) {
    const code = vars[command === 'byok-offline' ? 'REQUEST_CHECK_CODE' : 'WRAPPED_CHECK_CODE']!;
    typedAtPrompts.checkCodes += operators;
    return [...args, ...Array.from({ length: operators }, () => ['--check-code', code]).flat()];
  }
  if (command === 'byok-online' && args[0] === 'report' && !args.includes('--expect-head')) {
    typedAtPrompts.headCodes += 2;
    return [...args, '--expect-head', vars['OFFLINE_HEAD']!, '--expect-head', vars['ONLINE_HEAD']!];
  }
  return args;
}

function ok(code: number, stdout: string, stderr: string): CliResult {
  return { code, stdout, stderr };
}

async function run(ceremony: Ceremony, step: Step): Promise<CliResult> {
  const { dirs, s } = ceremony;
  if (step.file !== undefined) {
    // The reviewed plan's files, put on each machine the page names before the day.
    for (const machine of step.machines) {
      const to = join(dirs[machine], step.file.name);
      await mkdir(dirname(to), { recursive: true });
      await writeFile(to, fill(step.file.text, ceremony.vars, step.line));
    }
    return ok(0, '', '');
  }
  const cwd = dirs[step.machines[0]!];
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
      return runChild(
        ONLINE_BIN,
        await withPassphraseFiles(withPromptAnswers(command, args, ceremony), cwd),
        { cwd, env },
      );
    case 'byok-offline':
      return runChild(
        OFFLINE_BIN,
        await withPassphraseFiles(withPromptAnswers(command, args, ceremony), cwd),
        { cwd, env },
      );
    case 'age-keygen':
    case 'openssl': {
      const { stdout, stderr } = await execFileAsync(command, args, { cwd });
      return ok(0, stdout, stderr);
    }
    case 'umask':
      // The runbook's shell setting, for every file made after it (openssl's, the tools').
      process.umask(parseInt(args[0]!, 8));
      return ok(0, '', '');
    case 'cp': {
      const paths = args.map((p) => (p.startsWith('/') ? p : join(cwd, p)));
      const to = paths.pop()!;
      const isDir = await stat(to).then(
        (st) => st.isDirectory(),
        () => false,
      );
      if (paths.length > 1 && !isDir)
        throw new Error(`cp of several files to a file: ${step.line}`);
      for (const from of paths) await copyFile(from, isDir ? join(to, basename(from)) : to);
      return ok(0, '', '');
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
  const machine = step.machines[0]!;
  const headVar = machine === 'online' ? 'ONLINE_HEAD' : 'OFFLINE_HEAD';
  // The witness copies the short form, the head code, onto the paper record.
  const head = /^ {2}paper record: byok-(online|offline) head (\S+)$/m.exec(result.stdout);
  if (head !== null && step.line.includes(' audit head ') && head[1] === machine)
    vars[headVar] = head[2]!;
  // Every ceremony command ends with its own log's head code, as the last line on stderr.
  const lastLine = result.stderr.trimEnd().split('\n').at(-1) ?? '';
  const ended = /^byok-(online|offline): log head code (\S+) /.exec(lastLine);
  if (ended !== null && ended[1] === machine) vars[headVar] = ended[2]!;
  if (step.line.startsWith('byok-offline operator keygen')) {
    const name = /--name (\S+)/.exec(step.line)![1]!;
    vars[`${name}_FINGERPRINT`] = result.stdout.trim();
  }
  if (step.line.startsWith('age-keygen'))
    vars['AGE_RECIPIENT'] = /Public key: (age1\S+)/.exec(`${result.stderr}${result.stdout}`)![1]!;
  const planCode = /^Plan code: (\S+)/m.exec(result.stdout);
  if (step.line.startsWith('byok-online plan check') && planCode !== null)
    vars['PLAN_CODE'] = planCode[1]!;
  if (machine === 'online') {
    const arn = /^Arn:\s+(arn:\S+)$/m.exec(result.stdout);
    if (arn !== null) vars['KEY_ARN'] = arn[1]!;
    const request = /Check code of the import request[^:]*: (\S+)/.exec(result.stdout);
    if (request !== null) vars['REQUEST_CHECK_CODE'] = request[1]!;
  } else if (machine === 'offline') {
    const wrapped = /Check code of the wrapped bundle[^:]*: (\S+)/.exec(result.stdout);
    if (wrapped !== null) vars['WRAPPED_CHECK_CODE'] = wrapped[1]!;
  }
}

const FIRST_WORDS: Record<Variant, string[]> = {
  usb: ['byok-online plan', 'byok-online prepare', 'byok-offline wrap', 'byok-online import'],
  qr: ['byok-online plan', 'byok-offline scan', 'byok-offline wrap', 'byok-online import'],
  'flags-usb': [
    'byok-online create-key',
    'byok-online prepare',
    'byok-offline inspect',
    'byok-offline wrap',
    'byok-online import',
    'byok-offline recover',
    'byok-online audit',
  ],
  'flags-qr': [
    'byok-online create-key',
    'byok-offline scan',
    'byok-offline wrap',
    'byok-online import',
    'byok-online audit',
  ],
};

const firstWords = (line: string): string => line.split(' ').slice(0, 2).join(' ');

/**
 * docs/ceremony.md run as written, one variant: each variant is a test file of its own (beside this
 * module), against its own simulator, so that the four run side by side.
 */
export function describeRunbookVariant(variant: Variant): void {
  const originalUmask = process.umask();
  afterAll(async () => {
    process.umask(originalUmask);
    for (const sim of sims.splice(0)) await sim.close();
  });

  describe(`docs/ceremony.md, ${variant} variant`, () => {
    let ceremony: Ceremony;
    const planDriven = variant === 'usb' || variant === 'qr';
    const find = (prefix: string) =>
      ceremony.transcript.find((t) => t.step.line.startsWith(prefix));
    const output = (t: { result: CliResult } | undefined): string =>
      `${t?.result.stderr ?? ''}\n${t?.result.stdout ?? ''}`;

    it('runs every runbook command in order against byok-kms-sim', { timeout: 0 }, async () => {
      ceremony = await newCeremony(variant);
      const steps = runbookSteps(await readFile(RUNBOOK, 'utf8'), variant);
      expect(steps.map((st) => firstWords(st.line))).toEqual(
        expect.arrayContaining([
          'byok-offline operator',
          ...FIRST_WORDS[variant],
          'byok-online report',
        ]),
      );
      for (const step of steps) {
        const result = await run(ceremony, step);
        ceremony.transcript.push({ step, result });
        expect(result.code, `${step.machines[0]!}$ ${step.line}\n${result.stderr}`).toBe(0);
        capture(ceremony, step, result);
      }
    });

    it('ends with both logs verified, signed by both operators, and the record written', async () => {
      const { transcript, dirs, vars } = ceremony;
      if (planDriven) {
        // report --plan verifies and writes in one step; the record says it was a rehearsal.
        expect(find('byok-online report')?.result.stdout).toMatch(
          /^VERIFIED \S+ceremony-record\.html$/m,
        );
        const html = await readFile(join(dirs.online, 'ceremony-record.html'), 'utf8');
        expect(html).toMatch(/REHEARSAL\/NON-AWS ENDPOINT: http:\/\/127\.0\.0\.1:\d+/);
      } else {
        // Rehearsed against the simulator: verified, and marked as a rehearsal's record.
        expect(find('byok-online audit verify')?.result.stdout).toMatch(
          /^VERIFIED \(rehearsal: KMS endpoint http:\/\/127\.0\.0\.1:\d+ is not AWS\): 2 log\(s\)/m,
        );
      }
      // Both heads were read off their machines' screens and checked.
      const headCode = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/;
      expect(vars['OFFLINE_HEAD']).toMatch(headCode);
      expect(vars['ONLINE_HEAD']).toMatch(headCode);
      const offlineLog = await readFile(join(dirs.offline, 'byok-offline-audit.jsonl'), 'utf8');
      const wrapLine = offlineLog.split('\n').find((l) => l.includes('"command":"wrap"'));
      expect(wrapLine).toContain('"operator":"ALICE"');
      expect(wrapLine).toContain('"operator":"BOB"');
      // The machine that reads a bundle never shows its check code before the operators typed it.
      const shownBefore = (prefix: string, code: string): void => {
        const t = find(prefix);
        expect(t, prefix).toBeDefined();
        const [before] = output(t).split('Check code confirmed by');
        expect(before, prefix).not.toContain(code);
      };
      shownBefore('byok-offline wrap', vars['REQUEST_CHECK_CODE']!);
      shownBefore('byok-online import', vars['WRAPPED_CHECK_CODE']!);
      if (variant.endsWith('qr')) shownBefore('byok-offline scan', vars['REQUEST_CHECK_CODE']!);
      // inspect confirms nothing, so nothing it prints may carry the code, in any spelling.
      const inspected = find('byok-offline inspect');
      const flat = (text: string): string => text.replace(/[-\s]/g, '').toLowerCase();
      if (inspected !== undefined)
        expect(flat(output(inspected))).not.toContain(flat(vars['REQUEST_CHECK_CODE']!));
      const html = await readFile(join(dirs.online, 'ceremony-record.html'), 'utf8');
      expect(html).toContain('VERIFIED: the audit logs are intact');
      // The record covers the ceremony's own wrap (a recovery, if the variant has one, comes after it).
      const firstWrap = find('byok-offline wrap');
      const firstCode = /Check code of the wrapped bundle[^:]*: (\S+)/.exec(
        firstWrap!.result.stdout,
      )?.[1];
      expect(html).toContain(firstCode);
      if (variant.endsWith('qr')) {
        // No bundle file crossed: only the QR frames did.
        expect(transcript.some((t) => /\bcp\b.*\.json\b/.test(t.step.line))).toBe(false);
        expect(offlineLog).toContain('"command":"scan"');
      }
    });

    // Each variant registers only the tests that are its own: a skipped test would fail CI.
    if (planDriven)
      it('is the plan-driven ceremony: five commands, four check-code entries, the plan code throughout, every key Enabled', async () => {
        const { transcript, dirs, vars, typedAtPrompts, s } = ceremony;
        // Typed in the ceremony proper, copies to and from the media (and scanning the QR frames,
        // which is the QR variant's copy) aside.
        const typed = transcript
          .filter((t) => t.step.ceremony && t.step.line.startsWith('byok-'))
          .map((t) => firstWords(t.step.line))
          .filter((w) => w !== 'byok-offline scan');
        expect(typed.length).toBeLessThanOrEqual(5);
        expect(typed).toEqual([
          'byok-online plan',
          'byok-online prepare',
          'byok-offline wrap',
          'byok-online import',
          'byok-online report',
        ]);
        expect(typedAtPrompts).toEqual({ checkCodes: 4, headCodes: 2 });
        // The witness compares one plan code, from the signed sheet, with each command's.
        expect(vars['PLAN_CODE']).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
        for (const prefix of [
          'byok-online prepare',
          'byok-offline wrap',
          'byok-online import',
          'byok-online report',
        ])
          expect(output(find(prefix)), prefix).toContain(`Plan code: ${vars['PLAN_CODE']!}`);
        // The record names the plan and its witness, and the report typed no witness name.
        const html = await readFile(join(dirs.online, 'ceremony-record.html'), 'utf8');
        expect(html).toContain('payments 2026-Q4');
        expect(html).toContain('WENDY');
        const offlineLog = await readFile(join(dirs.offline, 'byok-offline-audit.jsonl'), 'utf8');
        const wrapLine = offlineLog.split('\n').find((l) => l.includes('"command":"wrap"'))!;
        // Signed by the two pinned operators, and naming the plan the reviewers signed for.
        expect(wrapLine).toMatch(/"signatures":\[\{"operator":"ALICE",[^\]]*\{"operator":"BOB",/);
        expect(wrapLine).toContain('"plan":{"digest":');
        expect(vars['ALICE_FINGERPRINT']).toMatch(/^SHA256:[0-9a-f]{4}( [0-9a-f]{4}){15}$/);
        // Every key of the plan is in KMS under its alias, Enabled; the replica the tool made too.
        const plan = await readFile(join(dirs.online, 'plan.yaml'), 'utf8');
        const aliases = [...plan.matchAll(/alias: (alias\/\S+)/g)].map((m) => m[1]!);
        expect(aliases).toHaveLength(10);
        for (const alias of aliases) {
          const meta = (await s.kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata!;
          expect(meta.KeyState, alias).toBe('Enabled');
          expect(meta.Origin, alias).toBe('EXTERNAL');
        }
        const primary = (await s.kms.send(new DescribeKeyCommand({ KeyId: aliases[0]! })))
          .KeyMetadata!;
        const replica = primary.MultiRegionConfiguration?.ReplicaKeys?.find(
          (r) => r.Region === REPLICA_REGION,
        );
        expect(replica, 'the replica prepare made').toBeDefined();
        const replicaKms = new KMSClient({
          region: REPLICA_REGION,
          endpoint: s.sim.url,
          credentials: REHEARSAL_CREDENTIALS,
        });
        try {
          const replicaMeta = (
            await replicaKms.send(new DescribeKeyCommand({ KeyId: replica!.Arn! }))
          ).KeyMetadata!;
          expect(replicaMeta.KeyState).toBe('Enabled');
        } finally {
          replicaKms.destroy();
        }
        // The backups the plan names: five shares and one age file.
        const backups = await readdir(join(vars['BACKUP']!, 'payments-2026-q4'));
        for (let i = 1; i <= 5; i++) expect(backups).toContain(`share-${i}-of-5.txt`);
        expect(backups).toContain('material-set.age');
        // After the record: status --record prints, beside the key's state, the KCV the import
        // recorded, which is the wrap's.
        const group = aliases[0]!.replace(/^alias\//, '').replaceAll('/', '.');
        const kcv = new RegExp(
          `^ {2}${group.replace(/\./g, '\\.')}: \\S+ KCV ([0-9A-F]{6})`,
          'm',
        ).exec(find('byok-offline wrap')!.result.stdout)?.[1];
        expect(kcv, 'the KCV wrap printed').toBeDefined();
        const status = find('byok-online status');
        expect(status?.step.line).toContain('--record');
        expect(status?.result.stdout).toContain(`  KCV on record      ${kcv!}\n`);
      });

    if (!planDriven)
      it('is the one-off script: status, recovery and rotation', () => {
        const { transcript } = ceremony;
        const verify = find('byok-online audit verify');
        expect(verify?.result.stdout).toMatch(
          /^KMS endpoint: http:\/\/127\.0\.0\.1:\d+ \(not AWS: a rehearsal\), in \d+ online line\(s\)$/m,
        );
        expect(verify?.step.line).toContain(`--expect-head ${'"$OFFLINE_HEAD"'}`);
        if (variant !== 'flags-usb') return;
        // Step 7: status prints, beside the key's state, the KCV the import recorded: the wrap's.
        const firstWrap = find('byok-offline wrap');
        const kcv = /\bKCV ([0-9A-F]{6})\b/.exec(output(firstWrap))?.[1];
        const afterImport = transcript.find(
          (t) => t.step.line.includes('status --key-id') && t.step.line.includes('--record'),
        );
        expect(kcv).toBeDefined();
        expect(afterImport?.result.stdout).toContain(`  KCV on record      ${kcv!}\n`);
        // The recovery script rebuilt the material from two shares and KMS took it back.
        const recover = find('byok-offline recover');
        expect(recover?.result.stdout).toMatch(/^Wrote .*recovered\.json$/m);
        const reimport = transcript.find(
          (t) => t.step.line.startsWith('byok-online import') && t.step.line.includes('recovered'),
        );
        expect(reimport?.step.line).toContain('recovered.json');
        expect(reimport?.result.code).toBe(0);
        // The rotation script left two materials, the new one current.
        const status = transcript
          .filter((t) => t.step.line.startsWith('byok-online status'))
          .at(-1);
        expect(status?.result.stdout).toMatch(/key materials\s+2\n/);
        expect(status?.result.stdout).toMatch(/CURRENT IMPORTED/);
        expect(status?.result.stdout).toMatch(/NON_CURRENT IMPORTED/);
      });
  });
}
