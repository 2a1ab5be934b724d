#!/usr/bin/env node
// Lists hand-written functions in packages/*/src longer than a limit (default 80 lines), longest first.
// Generated files (the KMS model) are left out. Exit 1 when more than --max are found.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ts = createRequire(import.meta.url)('typescript');
const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const limit = Number(args[args.indexOf('--lines') + 1] ?? 80) || 80;
const max = args.includes('--max') ? Number(args[args.indexOf('--max') + 1]) : Infinity;
const GENERATED = /packages\/kms-sim\/src\/model\//;

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) yield path;
  }
}

const found = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const src = join(root, 'packages', pkg, 'src');
  for (const file of sources(src)) {
    const rel = relative(root, file);
    if (GENERATED.test(rel)) continue;
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        const lines = end - start + 1;
        if (lines > limit) {
          const name =
            node.name?.getText(sf) ??
            (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(sf) : '(anonymous)');
          found.push({ lines, where: `${rel}:${start + 1}`, name });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}
found.sort((a, b) => b.lines - a.lines);
for (const f of found) console.log(`${String(f.lines).padStart(4)}  ${f.name}  ${f.where}`);
console.log(`${found.length} function(s) longer than ${limit} lines`);
process.exit(found.length > max ? 1 : 0);
