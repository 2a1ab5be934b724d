// The single-file byok-offline for the air-gapped machine: dist/byok-offline.mjs, its SHA-256
// (as a sha256sum file, and printed whole and in the short form read aloud, which the air-gapped
// machine's own sha256sum and cut compute) and a CycloneDX SBOM of what it bundles. See
// docs/airgap.md. Run after `tsc --build` (npm run build:offline does both).
// Options: --out-dir DIR (default dist/ at the repository root); --sea (the CommonJS bundle that
// scripts/build-offline-sea.mjs makes an executable of).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { sha256ReadAloud } from '@byok-ceremony/shared';
import { bundledComponents } from './build-offline/bundled-components.mjs';
import { cycloneDxJson } from './build-offline/cyclonedx-json.mjs';
import { embedZxingWasm } from './build-offline/embed-zxing-wasm.mjs';
import { englishOnlyY18n } from './build-offline/english-only-y18n.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: { 'out-dir': { type: 'string' }, sea: { type: 'boolean', default: false } },
});
const outDir = resolve(values['out-dir'] ?? join(ROOT, 'dist'));
const sea = values.sea;
const outName = sea ? 'byok-offline-sea.cjs' : 'byok-offline.mjs';
const sbomName = sea ? 'byok-offline-sea.cdx.json' : 'byok-offline.cdx.json';
const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/offline/package.json'), 'utf8'));

/** @type {Map<string, { contents: string, why: string }>} files bundled with other contents than on disk */
const patched = new Map();
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: [
    sea ? 'packages/offline/dist/cli/sea-main.js' : 'packages/offline/dist/cli/main.js',
  ],
  outfile: join(outDir, outName),
  bundle: true,
  platform: 'node',
  format: sea ? 'cjs' : 'esm',
  target: 'node20',
  // The PKCS#11 binding is a native addon built for one Node: never bundled, loaded from
  // node_modules by import() only when --hsm is given (docs/airgap.md).
  external: ['pkcs11js'],
  // Bundled CommonJS (pngjs, qrcode, jpeg-js) calls require() for Node built-ins.
  // A SEA runs CommonJS, whose file is the executable: import.meta.url is made from __filename.
  banner: sea
    ? { js: "const byokImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" }
    : {
        js: "import { createRequire as byokCreateRequire } from 'node:module';\nconst require = byokCreateRequire(import.meta.url);",
      },
  define: {
    BYOK_OFFLINE_BUILD: JSON.stringify(sea ? 'sea' : 'single-file'),
    ...(sea ? { 'import.meta.url': 'byokImportMetaUrl' } : {}),
  },
  loader: { '.wasm': 'binary' },
  plugins: [embedZxingWasm(ROOT, patched), englishOnlyY18n(ROOT, patched)],
  // Licence notices stay with the code they cover, collected at the end of the file.
  legalComments: 'eof',
  charset: 'utf8',
  sourcemap: false,
  minify: false,
  metafile: true,
  write: false,
  logLevel: 'warning',
});

const output = result.outputFiles.find((f) => basename(f.path) === outName);
if (output === undefined) throw new Error(`esbuild wrote no ${outName}`);
// Reproducible means nothing of this machine in the file: no absolute path of the tree or the output.
for (const local of [ROOT, outDir]) {
  if (output.text.includes(local)) throw new Error(`the bundle contains the local path ${local}`);
}
const metaOutput = Object.entries(result.metafile.outputs).find(
  ([path]) => basename(path) === outName,
)?.[1];
if (metaOutput === undefined) throw new Error('the esbuild metafile has no entry for the bundle');
const components = bundledComponents(ROOT, metaOutput.inputs, patched);

const sha256 = createHash('sha256').update(output.contents).digest('hex');
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, outName);
writeFileSync(`${outFile}.tmp`, output.contents, { mode: 0o755 });
renameSync(`${outFile}.tmp`, outFile);
writeFileSync(join(outDir, `${outName}.sha256`), `${sha256}  ${outName}\n`);
writeFileSync(
  join(outDir, sbomName),
  cycloneDxJson({
    name: 'byok-offline',
    version: pkg.version,
    license: pkg.license,
    fileName: outName,
    sha256,
    components,
  }),
);

process.stdout.write(
  [
    `${relative(process.cwd(), outFile) || outFile}: ${output.contents.length} bytes, ${components.length} packages (SBOM ${sbomName})`,
    `SHA-256:    ${sha256}`,
    `Read aloud: ${sha256ReadAloud(sha256)}`,
    '',
  ].join('\n'),
);
