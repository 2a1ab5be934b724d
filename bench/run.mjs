// `npm run bench`: builds (in package.json), then runs each benchmark module in turn.
// A benchmark is a module exporting `name` and `async run({ log, quick })` that prints its
// own report. Add new ones to BENCHMARKS. `node bench/run.mjs qr` runs those whose name matches.
import { performance } from 'node:perf_hooks';

const BENCHMARKS = [
  './startup.mjs',
  './wrap-vs-openssl.mjs',
  './ceremony-vs-seed.mjs',
  './batch-1000.mjs',
  './qr-robustness.mjs',
  './scale.mjs',
];

// The benchmarks' own SDK clients (creating keys) run on this Node; its support notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const filter = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const quick = process.argv.includes('--quick');
let failed = 0;
for (const path of BENCHMARKS) {
  const bench = await import(new URL(path, import.meta.url).href);
  if (filter.length > 0 && !filter.some((f) => bench.name.includes(f))) continue;
  const started = performance.now();
  console.log(`\n== ${bench.name}`);
  try {
    await bench.run({ log: (line) => console.log(line), quick });
  } catch (err) {
    failed++;
    console.error(`bench ${bench.name} failed: ${err instanceof Error ? err.stack : String(err)}`);
  }
  console.log(`(${bench.name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
process.exitCode = failed === 0 ? 0 : 1;
