import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Builds before any test runs, so that tests which spawn the built CLIs (dist/, and the bins'
 * bundles) never run against a stale build, whichever way vitest was started; tsc --build skips
 * what is up to date.
 */
export default function buildFirst(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '--build'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build-clis.mjs'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
