import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLIS = { offline: 'byok-offline', online: 'byok-online', 'kms-sim': 'byok-kms-sim' };

describe('the installed CLIs', () => {
  for (const [pkg, name] of Object.entries(CLIS)) {
    it(`${name}: its bin is a committed, executable file that runs the built CLI`, () => {
      const dir = join(ROOT, 'packages', pkg);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        bin: Record<string, string>;
        files: string[];
      };
      expect(Object.keys(manifest.bin)).toEqual([name]);
      const bin = manifest.bin[name]!;
      // npm links a bin only if it exists at link time: never one the build writes.
      expect(bin).not.toMatch(/dist\//);
      expect(manifest.files).toContain(bin.replace(/^\.\//, '').split('/')[0]);
      const tracked = spawnSync('git', ['ls-files', '--stage', '--', bin], { cwd: dir });
      expect(tracked.stdout.toString()).toMatch(/^100755 /);
      expect(statSync(join(dir, bin)).mode & 0o111).not.toBe(0);
      // One launcher for the three bins, committed in node-io and shipped with it.
      expect(readFileSync(join(dir, bin), 'utf8')).toContain(
        `await launchCli('${name}', import.meta.url)`,
      );

      const help = spawnSync(join(dir, bin), ['--help'], { encoding: 'utf8' });
      expect(help.stderr).toBe('');
      expect(help.status).toBe(0);
      expect(help.stdout.startsWith(`${name} `)).toBe(true);
    });
  }
});

describe('the bundles', () => {
  const HELP: [string, string, string[]][] = [
    ['offline', 'byok-offline', ['--help']],
    ['offline', 'byok-offline', ['wrap', '--help']],
    ['online', 'byok-online', ['--help']],
    ['online', 'byok-online', ['prepare', '--help']],
    ['kms-sim', 'byok-kms-sim', ['--help']],
  ];
  for (const [pkg, name, args] of HELP) {
    it(`${name} ${args.join(' ')}: the bundle prints what the tsc output prints`, () => {
      const dir = join(ROOT, 'packages', pkg);
      // The test setup built the bundle after tsc: the bin runs it, not its fallback.
      const bundle = join(dir, 'dist/bundle/main.mjs');
      const { compiledFrom } = JSON.parse(
        readFileSync(join(dir, 'dist/bundle/compiled-from.json'), 'utf8'),
      ) as { compiledFrom: string[] };
      for (const info of compiledFrom)
        expect(statSync(join(dir, 'dist/bundle', info)).mtimeMs).toBeLessThanOrEqual(
          statSync(bundle).mtimeMs,
        );
      const run = (entry: string) =>
        spawnSync(process.execPath, [join(dir, entry), ...args], {
          encoding: 'utf8',
          env: { PATH: process.env['PATH'] ?? '' },
        });
      const bundled = run(`bin/${name}.mjs`);
      const compiled = run('dist/cli/main.js');
      expect(bundled.stderr).toBe('');
      expect(bundled.status).toBe(0);
      expect(bundled.stdout.length).toBeGreaterThan(200);
      expect(bundled.stdout).toBe(compiled.stdout);
    });
  }
});

describe('the launcher', () => {
  it('is a committed file of node-io, in its exports and its files', () => {
    const manifest = JSON.parse(
      readFileSync(join(ROOT, 'packages/node-io/package.json'), 'utf8'),
    ) as { exports: Record<string, unknown>; files: string[] };
    expect(manifest.exports['./launch-cli']).toBe('./launch-cli.mjs');
    expect(manifest.files).toContain('launch-cli.mjs');
    const tracked = spawnSync('git', ['ls-files', '--', 'packages/node-io/launch-cli.mjs'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(tracked.stdout.trim()).toBe('packages/node-io/launch-cli.mjs');
  });
});

describe('a bin and the bundle', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** byok-offline's bin and bundle in a new tree, with a tsc output that only names itself. */
  function copyOfTheTree(): { root: string; run: () => SpawnSyncReturns<string> } {
    const root = mkdtempSync(join(tmpdir(), 'byok-bins-'));
    dirs.push(root);
    const pkg = join(root, 'packages', 'offline');
    cpSync(join(ROOT, 'packages/offline/bin'), join(pkg, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'packages/offline/dist/bundle'), join(pkg, 'dist/bundle'), {
      recursive: true,
    });
    mkdirSync(join(pkg, 'dist/cli'));
    // The bin finds the launcher as an installed package would: through node_modules.
    mkdirSync(join(root, 'node_modules/@byok-ceremony'), { recursive: true });
    symlinkSync(join(ROOT, 'packages/node-io'), join(root, 'node_modules/@byok-ceremony/node-io'));
    writeFileSync(join(pkg, 'dist/cli/main.js'), "process.stdout.write('the tsc output\\n');\n");
    for (const name of ['shared', 'node-io', 'offline']) {
      mkdirSync(join(root, 'packages', name), { recursive: true });
      const info = join(root, 'packages', name, 'tsconfig.tsbuildinfo');
      writeFileSync(info, '{}');
      utimesSync(info, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    }
    const run = () =>
      spawnSync(process.execPath, [join(pkg, 'bin/byok-offline.mjs'), '--help'], {
        encoding: 'utf8',
      });
    return { root, run };
  }

  it('runs the bundle while no package in it was compiled after it', () => {
    const { run } = copyOfTheTree();
    const help = run();
    expect(help.stderr).toBe('');
    expect(help.stdout.startsWith('byok-offline ')).toBe(true);
  });

  it('runs the tsc output once a package in the bundle has been compiled since', () => {
    const { root, run } = copyOfTheTree();
    const info = join(root, 'packages/shared/tsconfig.tsbuildinfo');
    utimesSync(info, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    expect(run().stdout).toBe('the tsc output\n');
  });

  it('runs the tsc output when the bundle does not say what it holds', () => {
    const { root, run } = copyOfTheTree();
    rmSync(join(root, 'packages/offline/dist/bundle/compiled-from.json'));
    expect(run().stdout).toBe('the tsc output\n');
  });

  it('refuses, with a hint, when nothing is built', () => {
    const { root, run } = copyOfTheTree();
    rmSync(join(root, 'packages/offline/dist'), { recursive: true });
    const result = run();
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'byok-offline: error: the CLI is not built\nbyok-offline: hint: run npm run build\n',
    );
  });
});
