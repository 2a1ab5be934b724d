import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Every command of both CLIs, as `TOOL PATH` (test/ceremony/cli-commands.mjs). */
    cliCommands: string[];
  }
}

/**
 * Where `aws` on PATH is a pyenv shim (a bash script that runs pyenv to choose a Python at every
 * call: about 0.27 s of the 0.75 s of CPU an `aws` call takes on this machine), the program it
 * stands for, chosen once here, is linked into a folder that goes first on the run's PATH. The
 * tests run the AWS CLI as an independent peer a few dozen times.
 */
function awsCliWithoutShim(runTmp: string): void {
  const found = (
    spawnSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).stdout ?? ''
  ).trim();
  if (!found.endsWith('/shims/aws')) return;
  const chosen = spawnSync('pyenv', ['which', 'aws'], { encoding: 'utf8' });
  if (chosen.status !== 0) return;
  const bin = join(runTmp, 'bin');
  mkdirSync(bin);
  symlinkSync(chosen.stdout.trim(), join(bin, 'aws'));
  process.env.PATH = `${bin}${delimiter}${process.env.PATH ?? ''}`;
}

/**
 * Builds before any test runs, so that tests which spawn the built CLIs (dist/, and the bins'
 * bundles) never run against a stale build, whichever way vitest was started; tsc --build skips
 * what is up to date. Then lists both CLIs' commands from their --help pages, once for the run
 * (the ceremony matrix's files each hold their rows to it), in a child process whose output is
 * a pipe, so that the pages are laid out as every test sees them.
 *
 * Every test file's temporary folders (made under os.tmpdir()) go into one folder of the run,
 * removed when the run ends: the files are processes started after this, with this environment.
 */
export default function buildFirst(project: TestProject): () => void {
  // The tests reach only local servers of their own (the simulator and proxies over HTTP), never
  // a certificate authority of this machine's, and Node loads NODE_EXTRA_CA_CERTS at every start:
  // about 30 ms of CPU in each of the thousands of processes a run starts (its files and the
  // CLIs they run), where `node -e 0` is about 50 ms.
  delete process.env['NODE_EXTRA_CA_CERTS'];
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '--build'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build-clis.mjs'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const listed = execFileSync(
    process.execPath,
    [join(root, 'test/ceremony/cli-commands.mjs'), root],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  project.provide('cliCommands', JSON.parse(listed) as string[]);
  // Made last, so that a build or listing that fails leaves no folder behind.
  const runTmp = mkdtempSync(join(tmpdir(), 'byok-test-run-'));
  process.env.TMPDIR = runTmp;
  awsCliWithoutShim(runTmp);
  return () => rmSync(runTmp, { recursive: true, force: true });
}
