// The three CLIs as bundles, for start-up time: packages/<pkg>/dist/bundle/main.mjs and the
// chunks it loads on demand (one per dynamic import(): QR codecs, age, the AWS SDK, the
// simulator's server). Loading one file for --help costs a fraction of resolving and compiling
// about 200 modules one by one (docs/performance.md). Run after `tsc --build`; the root
// `build` and `prepare` scripts and the test setup run both. The committed bins use a bundle
// only while no package it holds has been compiled since (compiled-from.json), otherwise the
// tsc output in dist/cli/: a stale bundle is never run.
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { englishOnlyY18n } from './build-offline/english-only-y18n.mjs';
import { oneStringWidth } from './build-clis/one-string-width.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLIS = ['offline', 'online', 'kms-sim'];

/** The tsbuildinfo of the workspace package that holds a bundled file, or undefined for node_modules. */
function tsBuildInfoOf(input) {
  const m = /^packages\/([^/]+)\/dist\//.exec(input);
  return m === null ? undefined : join(ROOT, 'packages', m[1], 'tsconfig.tsbuildinfo');
}

/** True when the folder holds exactly these files with these contents. */
function sameAsOnDisk(dir, files) {
  let names;
  try {
    names = readdirSync(dir).sort();
  } catch {
    return false;
  }
  const wanted = files.map((f) => relative(dir, f.path)).sort();
  if (names.join('\n') !== wanted.join('\n')) return false;
  return files.every((f) => readFileSync(f.path).equals(Buffer.from(f.contents)));
}

async function bundle(pkg) {
  const outDir = join(ROOT, 'packages', pkg, 'dist', 'bundle');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: `packages/${pkg}/dist/cli/main.js` },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The PKCS#11 binding is a native addon built for one Node: never bundled, loaded from
    // node_modules by import() only when --hsm is given (docs/airgap.md).
    external: ['pkcs11js'],
    // As written, not rebuilt with new RegExp() at load (string-width's /v patterns: 10 ms).
    supported: { 'regexp-set-notation': true, 'regexp-unicode-property-escapes': true },
    // Bundled CommonJS (yargs' helpers, pngjs, qrcode) calls require() for Node built-ins.
    banner: {
      js: "import { createRequire as byokCreateRequire } from 'node:module';\nconst require = byokCreateRequire(import.meta.url);",
    },
    // Files stay where node_modules resolves them (zxing-wasm's .wasm through import.meta.resolve).
    plugins: [
      // yargs guesses a version from the nearest package.json (we give it one): the package's own.
      englishOnlyY18n(ROOT, new Map(), {
        mainDir: "fileURLToPath(new URL('../../', import.meta.url))",
      }),
      oneStringWidth(ROOT),
    ],
    // Whitespace and syntax only: names stay, so --debug stack traces still read.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'eof',
    charset: 'utf8',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });

  const compiledFrom = new Set();
  for (const input of Object.keys(result.metafile.inputs)) {
    const info = tsBuildInfoOf(input);
    if (info !== undefined) compiledFrom.add(info);
  }
  for (const info of compiledFrom) statSync(info); // fails the build if tsc has not run
  const entry = join(outDir, 'main.mjs');
  const files = result.outputFiles.filter((f) => f.path !== entry);
  const main = result.outputFiles.find((f) => f.path === entry);
  if (main === undefined) throw new Error(`esbuild wrote no ${entry}`);
  const manifest = {
    path: join(outDir, 'compiled-from.json'),
    contents: `${JSON.stringify({ compiledFrom: [...compiledFrom].map((p) => relative(outDir, p)).sort() }, null, 2)}\n`,
  };
  const bytes = result.outputFiles.reduce((sum, f) => sum + f.contents.length, 0);
  const summary = `${relative(ROOT, entry)}: ${main.contents.length} bytes, ${files.length} more chunks (${bytes} bytes in all)`;
  if (sameAsOnDisk(outDir, [...result.outputFiles, manifest])) {
    // Unchanged: left in place for a CLI that runs now (another test run); only marked current.
    const now = new Date();
    utimesSync(entry, now, now);
    return `${summary}, unchanged`;
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const file of files) writeFileSync(file.path, file.contents);
  writeFileSync(manifest.path, manifest.contents);
  // The entry last, and whole: its time is what the bins compare with the tsbuildinfo files.
  writeFileSync(`${entry}.tmp`, main.contents);
  renameSync(`${entry}.tmp`, entry);
  return summary;
}

const only = process.argv.slice(2);
for (const pkg of CLIS.filter((p) => only.length === 0 || only.includes(p))) {
  process.stdout.write(`${await bundle(pkg)}\n`);
}
