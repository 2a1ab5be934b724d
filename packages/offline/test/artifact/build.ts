import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const BUILD_SCRIPT = join(REPO, 'scripts', 'build-offline.mjs');

export interface OfflineBuild {
  readonly outDir: string;
  readonly bundle: string;
  /** What the build printed on stdout. */
  readonly printed: string;
}

/** Runs scripts/build-offline.mjs (after `tsc --build`, as npm test does) from `cwd` into `outDir`. */
export function buildOffline(outDir: string, cwd: string): OfflineBuild {
  const r = spawnSync(process.execPath, [BUILD_SCRIPT, '--out-dir', outDir], {
    cwd,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`build:offline failed: ${r.stderr}`);
  return { outDir, bundle: join(outDir, 'byok-offline.mjs'), printed: r.stdout };
}

/** Every node_modules folder that Node's resolution could find from `dir` upwards. */
export function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  let current = dir;
  for (;;) {
    if (existsSync(join(current, 'node_modules'))) found.push(join(current, 'node_modules'));
    if (current === parse(current).root) return found;
    current = dirname(current);
  }
}
