import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Ceremony } from '../lifecycle/ceremony-steps.js';
import type { CountingProxy } from './counting-proxy.js';
import { OFFLINE_BIN, ONLINE_BIN, type CliResult } from './run-online.js';

export const ONLINE_LOG = 'byok-online-audit.jsonl';
export const OFFLINE_LOG = 'byok-offline-audit.jsonl';

export function logsOf(c: Ceremony): { online: string; offline: string } {
  return { online: join(c.onlineDir, ONLINE_LOG), offline: join(c.offlineDir, OFFLINE_LOG) };
}

/** Carries files between the machines' folders, as the USB stick does (a folder's files, too). */
export async function carry(from: string, to: string, names: readonly string[]): Promise<void> {
  for (const name of names) await copyFile(join(from, name), join(to, name));
}

/** What a camera sees: the PNG frames a machine shows, as stills in a new folder on the other. */
export async function photograph(frames: string, stills: string): Promise<void> {
  await mkdir(stills);
  const names = (await readdir(frames)).filter((n) => n.endsWith('.png')).sort();
  expect(names.length, `PNG frames in ${frames}`).toBeGreaterThan(0);
  await carry(frames, stills, names);
}

export function ok(r: CliResult, what = ''): CliResult {
  expect(r.code, `${what}\n${r.stderr}`).toBe(0);
  return r;
}

interface Finding {
  readonly severity: string;
  readonly code: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly message: string;
}

const headCodeOf = (r: CliResult): string =>
  (JSON.parse(ok(r, 'audit head').stdout) as { logs: { headCode: string }[] }).logs[0]!.headCode;

/**
 * The end of every row: the witness reads each log's head code off the machine that keeps it
 * (`audit head` there), and both logs are verified together, anchored at those heads, on each
 * machine: VERIFIED, exit 0. Soft expectations, so a row's KMS check still runs when the
 * verdict is wrong, and the failure names every problem finding.
 */
export async function expectTranscriptVerified(
  c: Ceremony,
  anchors: readonly string[] = [],
): Promise<void> {
  const logs = logsOf(c);
  const onlineHead = headCodeOf(await c.online(['audit', 'head', logs.online, '--json']));
  const offlineHead = headCodeOf(await c.offline(['audit', 'head', logs.offline, '--json']));
  const expect_ = ['--expect-head', onlineHead, '--expect-head', offlineHead, ...anchors];
  const json = await c.online(['audit', 'verify', logs.online, logs.offline, ...expect_, '--json']);
  const result = JSON.parse(json.stdout) as { verdict: string; findings: Finding[] };
  const problems = result.findings
    .filter((f) => f.severity === 'error' || f.severity === 'warning')
    .map((f) => `${f.severity} ${f.code} ${f.file ?? '-'}:${f.line ?? '-'}: ${f.message}`)
    .join('\n');
  expect.soft(result.verdict, `byok-online audit verify:\n${problems}`).toMatch(/^VERIFIED\b/);
  expect.soft(json.code, `byok-online audit verify:\n${problems}`).toBe(0);
  const text = await c.offline(['audit', 'verify', logs.offline, logs.online, ...expect_]);
  expect.soft(text.stdout, `byok-offline audit verify:\n${text.stderr}`).toMatch(/^VERIFIED\b/m);
  expect.soft(text.code, 'byok-offline audit verify').toBe(0);
}

/** One prompt the terminal driver answers, whenever it appears, once. */
export interface TerminalAnswer {
  readonly prompt: string;
  readonly answer: string;
}

const shellQuote = (arg: string): string => `'${arg.replaceAll("'", "'\\''")}'`;
/** How long a command may sit silent at a prompt nobody answers before the driver says so. */
const UNANSWERED_PROMPT_MS = 60_000;

/**
 * Runs byok-offline on a pseudo-terminal (through `script`), as at the operators' keyboard, and
 * types each answer when its prompt text appears, in whatever order the command asks. A prompt
 * with no answer stops the run, named; every answer must have been asked for.
 */
export function offlineAtTerminal(
  c: Ceremony,
  argv: readonly string[],
  answers: readonly TerminalAnswer[],
): Promise<{ code: number; output: string }> {
  c.ran.push({ tool: 'byok-offline', argv });
  const command = [process.execPath, OFFLINE_BIN, ...argv].map(shellQuote).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: c.offlineDir,
    env: c.s.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const unasked = [...answers];
  let output = '';
  let answeredUpTo = 0;
  let unanswered: string | undefined;
  let quiet: NodeJS.Timeout | undefined;
  const answerPrompts = (): void => {
    for (;;) {
      const next = unasked
        .map((a) => ({ a, at: output.indexOf(a.prompt, answeredUpTo) }))
        .filter((x) => x.at >= 0)
        .sort((x, y) => x.at - y.at)[0];
      if (next === undefined) return;
      answeredUpTo = next.at + next.a.prompt.length;
      unasked.splice(unasked.indexOf(next.a), 1);
      child.stdin.write(`${next.a.answer}\r`);
    }
  };
  // Silent at a line that asks something no answer is for: a prompt this driver was not told of.
  const watchForUnknownPrompt = (): void => {
    clearTimeout(quiet);
    quiet = setTimeout(() => {
      const last = output.slice(answeredUpTo).split('\n').at(-1) ?? '';
      if (/[:?] $/.test(last)) {
        unanswered = last;
        child.kill('SIGTERM');
      }
    }, UNANSWERED_PROMPT_MS);
  };
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    answerPrompts();
    watchForUnknownPrompt();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(quiet);
      child.stdin.end();
      if (unanswered !== undefined)
        fail(new Error(`byok-offline ${argv[0]} asked what no answer is for: ${unanswered}`));
      else {
        expect(
          unasked.map((a) => a.prompt),
          `prompts never asked:\n${output}`,
        ).toEqual([]);
        done({ code: code ?? -1, output: output.replaceAll('\r\n', '\n') });
      }
    });
  });
}

/**
 * A byok-online child process run through the counting proxy, with the nth ImportKeyMaterial
 * held there until the child is sent `signal`: an import interrupted with one key in flight.
 */
export async function interruptedImport(
  c: Pick<Ceremony, 'onlineDir' | 'ran'> & { readonly s: Pick<Ceremony['s'], 'env' | 'sim'> },
  proxy: CountingProxy,
  argv: readonly string[],
  options: { readonly signal: 'SIGINT' | 'SIGKILL'; readonly heldImport: number },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  c.ran.push({ tool: 'byok-online', argv });
  proxy.operations.length = 0; // the proxy counts each operation from here
  const held = proxy.hold('ImportKeyMaterial', options.heldImport);
  const flags = ['--endpoint-url', proxy.url, '--region', c.s.sim.region];
  const child = spawn(process.execPath, [ONLINE_BIN, ...flags, ...argv], {
    cwd: c.onlineDir,
    env: c.s.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const interrupted = new Promise<void>((done) =>
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('interrupted: the current step finishes')) done();
    }),
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('close', (code, signal) => done({ code, signal })),
  );
  const first = await Promise.race([held.arrived.then(() => 'held'), exited.then(() => 'exited')]);
  if (first === 'exited')
    throw new Error(`the import ended before it could be interrupted:\n${stderr}`);
  child.kill(options.signal);
  // SIGINT lets the import finish the request in flight; kill -9 leaves it to reach KMS alone.
  if (options.signal === 'SIGINT') await interrupted;
  held.release();
  return { ...(await exited), stderr };
}
