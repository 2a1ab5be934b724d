// byok-offline as one Node single executable application (SEA): dist/byok-offline-sea, the
// single-file build (as CommonJS) injected into a copy of this machine's node binary with
// postject. Linux only here; see docs/airgap.md for what it does and does not add.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256ReadAloud } from '@byok-ceremony/shared';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'dist');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function refuse(why) {
  process.stderr.write(`build-offline-sea: error: ${why}\n`);
  process.exit(1);
}

if (process.platform !== 'linux')
  refuse(
    `${process.platform} is not supported by this script (macOS and Windows executables must be re-signed after injection)`,
  );
const node = readFileSync(process.execPath);
if (!node.includes(FUSE))
  refuse(`${process.execPath} has no SEA fuse: this Node build cannot be made a single executable`);

const work = mkdtempSync(join(tmpdir(), 'byok-offline-sea-'));
execFileSync(
  process.execPath,
  [join(ROOT, 'scripts', 'build-offline.mjs'), '--sea', '--out-dir', work],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
writeFileSync(
  join(work, 'sea-config.json'),
  JSON.stringify({
    // Relative: the blob records the script's name, which must not depend on the folder.
    main: 'byok-offline-sea.cjs',
    output: 'sea-prep.blob',
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
  }),
);
execFileSync(process.execPath, ['--experimental-sea-config', 'sea-config.json'], {
  cwd: work,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const exe = join(work, 'byok-offline-sea');
copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
execFileSync(
  process.execPath,
  [
    join(ROOT, 'node_modules', 'postject', 'dist', 'cli.js'),
    exe,
    'NODE_SEA_BLOB',
    join(work, 'sea-prep.blob'),
    '--sentinel-fuse',
    FUSE,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);

const sha256 = createHash('sha256').update(readFileSync(exe)).digest('hex');
const nodeSha256 = createHash('sha256').update(node).digest('hex');
renameSync(exe, join(OUT_DIR, 'byok-offline-sea'));
copyFileSync(join(work, 'byok-offline-sea.cdx.json'), join(OUT_DIR, 'byok-offline-sea.cdx.json'));
writeFileSync(join(OUT_DIR, 'byok-offline-sea.sha256'), `${sha256}  byok-offline-sea\n`);
process.stdout.write(
  [
    `dist/byok-offline-sea: Node ${process.version} (${process.execPath}, SHA-256 ${nodeSha256}) with byok-offline inside`,
    `SHA-256:    ${sha256}`,
    `Read aloud: ${sha256ReadAloud(sha256)}`,
    '',
  ].join('\n'),
);
