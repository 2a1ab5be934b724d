// npm links workspace bins before `tsc --build` has written them, so it cannot mark them executable.
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

for (const pkg of ['kms-sim', 'offline', 'online']) {
  const dir = join('packages', pkg);
  const { bin } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const file of Object.values(bin ?? {})) {
    const path = join(dir, file);
    if (existsSync(path)) chmodSync(path, 0o755);
  }
}
