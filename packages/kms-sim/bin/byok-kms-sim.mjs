#!/usr/bin/env node
// Committed, so that npm links it on the first install, before the build has written dist/.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    'byok-kms-sim: error: the CLI is not built\nbyok-kms-sim: hint: run npm run build\n',
  );
  process.exit(1);
}
const { runAsProcess } = await import(main.href);
runAsProcess();
