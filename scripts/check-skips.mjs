// Fails when a test was skipped without being listed, with its reason, in test/skips.json.
// Usage: node scripts/check-skips.mjs VITEST_JSON_REPORT [SKIPS_JSON]
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const SKIPPED = new Set(['skipped', 'pending', 'todo', 'disabled']);
const root = resolve(import.meta.dirname, '..');
const [reportPath, listPath = resolve(root, 'test/skips.json')] = process.argv.slice(2);
if (reportPath === undefined) {
  console.error('usage: node scripts/check-skips.mjs VITEST_JSON_REPORT [SKIPS_JSON]');
  process.exit(2);
}

const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const { skips } = JSON.parse(readFileSync(listPath, 'utf8'));
const key = (file, test) => `${file} > ${test}`;
const listed = new Map(skips.map((s) => [key(s.file, s.test), s]));

const all = new Set();
const skipped = [];
for (const file of report.testResults) {
  const path = relative(root, file.name);
  for (const t of file.assertionResults) {
    all.add(key(path, t.fullName));
    if (SKIPPED.has(t.status)) skipped.push(key(path, t.fullName));
  }
}

let ok = true;
const withoutReason = skips.filter((s) => typeof s.reason !== 'string' || s.reason.trim() === '');
for (const s of withoutReason) {
  console.error(`check-skips: ${key(s.file, s.test)} is listed without a reason`);
  ok = false;
}
console.log(`Skipped tests: ${skipped.length} (the allowed skips are listed in test/skips.json)`);
for (const name of skipped) {
  const entry = listed.get(name);
  if (entry !== undefined) {
    console.log(`  skipped: ${name}\n    reason: ${entry.reason}`);
  } else {
    console.error(`  NOT LISTED: ${name}: add it to test/skips.json with its reason, or run it`);
    ok = false;
  }
}
// An entry for a test that no longer exists would let a new test of that name skip unseen.
const ranFiles = new Set(report.testResults.map((f) => relative(root, f.name)));
for (const [name, entry] of listed) {
  if (ranFiles.has(entry.file) && !all.has(name)) {
    console.error(`  STALE: test/skips.json lists ${name}, which is not a test any more`);
    ok = false;
  }
}
process.exit(ok ? 0 : 1);
