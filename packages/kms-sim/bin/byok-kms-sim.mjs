#!/usr/bin/env node
// Committed, so that npm links it on the first install, before the build has written dist/.
import { readFileSync, statSync } from 'node:fs';

const mtimeOf = (url) => statSync(url, { throwIfNoEntry: false })?.mtimeMs;

/**
 * The bundle (scripts/build-clis.mjs) while no package in it has been compiled since it was
 * made, else the tsc output: a stale bundle is never run. Undefined when neither is built.
 */
function builtEntry() {
  const bundle = new URL('../dist/bundle/main.mjs', import.meta.url);
  const bundled = mtimeOf(bundle);
  if (bundled !== undefined) {
    try {
      const { compiledFrom } = JSON.parse(
        readFileSync(new URL('compiled-from.json', bundle), 'utf8'),
      );
      if (compiledFrom.every((path) => (mtimeOf(new URL(path, bundle)) ?? Infinity) <= bundled))
        return bundle;
    } catch {
      // No readable list of what the bundle holds: the tsc output below.
    }
  }
  const main = new URL('../dist/cli/main.js', import.meta.url);
  return mtimeOf(main) === undefined ? undefined : main;
}

const entry = builtEntry();
if (entry === undefined) {
  process.stderr.write(
    'byok-kms-sim: error: the CLI is not built\nbyok-kms-sim: hint: run npm run build\n',
  );
  process.exit(1);
}
const { runAsProcess } = await import(entry.href);
runAsProcess();
