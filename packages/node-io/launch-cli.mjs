// The one launcher of the three bins (packages/*/bin/byok-*.mjs). Plain JavaScript and committed,
// like the bins, so that it runs before any build: npm links the bins on the first install,
// before the root prepare script has written dist/.
import { readFileSync, statSync } from 'node:fs';

const mtimeOf = (url) => statSync(url, { throwIfNoEntry: false })?.mtimeMs;

/**
 * The bundle (scripts/build-clis.mjs) while no package in it has been compiled since it was
 * made, else the tsc output: a stale bundle is never run. Undefined when neither is built.
 */
function builtEntry(packageUrl) {
  const bundle = new URL('dist/bundle/main.mjs', packageUrl);
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
  const main = new URL('dist/cli/main.js', packageUrl);
  return mtimeOf(main) === undefined ? undefined : main;
}

/**
 * Loads the built CLI of the package whose bin is `binUrl` (the bin's import.meta.url) and
 * returns its module; says the CLI is not built, and exits 1, when it is not.
 */
export async function launchCli(name, binUrl) {
  const entry = builtEntry(new URL('../', binUrl));
  if (entry === undefined) {
    process.stderr.write(
      `${name}: error: the CLI is not built\n${name}: hint: run npm run build\n`,
    );
    process.exit(1);
  }
  return import(entry.href);
}
