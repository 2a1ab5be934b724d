import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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

      const help = spawnSync(join(dir, bin), ['--help'], { encoding: 'utf8' });
      expect(help.stderr).toBe('');
      expect(help.status).toBe(0);
      expect(help.stdout.startsWith(`${name} `)).toBe(true);
    });
  }
});
