// The npm packages (and workspace packages) whose files esbuild put into the bundle, from its metafile.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * @typedef {{ path: string, sha256: string, bytesInOutput: number, patched?: string }} BundledFile
 * @typedef {{ name: string, version: string, license: string | undefined, dirs: string[],
 *   workspace: boolean, integrity: string | undefined, files: BundledFile[] }} BundledComponent
 */

/** The nearest folder at or above `file` whose package.json names a package and a version. */
function packageDirOf(root, file) {
  let dir = dirname(file);
  for (;;) {
    const manifest = join(root, dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      if (typeof pkg.name === 'string' && typeof pkg.version === 'string') return { dir, pkg };
    }
    if (dir === '.' || dir === '') throw new Error(`${file} belongs to no package`);
    dir = dirname(dir);
  }
}

function licenseOf(pkg) {
  if (typeof pkg.license === 'string') return pkg.license;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => l.type).join(' OR ');
  return undefined;
}

/**
 * One component per package (name and version; npm may install one twice, in nested folders) with at least one file that contributes bytes to the output.
 * `inputs` is the metafile's `outputs[bundle].inputs`; `patched` maps a path to the contents
 * the build used instead of the file on disk, and why.
 * @returns {BundledComponent[]}
 */
export function bundledComponents(root, inputs, patched = new Map()) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  /** @type {Map<string, BundledComponent>} */
  const byId = new Map();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    if (bytesInOutput === 0) continue;
    if (path.includes(':')) throw new Error(`unexpected virtual input ${path}`);
    const { dir, pkg } = packageDirOf(root, path);
    const lockDir = dir.split('\\').join('/');
    const locked = lock.packages[lockDir];
    if (locked === undefined) throw new Error(`${lockDir} is not in package-lock.json`);
    if (locked.version !== pkg.version)
      throw new Error(`${lockDir}: package.json ${pkg.version}, lock ${locked.version}`);
    const id = `${pkg.name}@${pkg.version}`;
    let component = byId.get(id);
    if (component !== undefined && component.integrity !== locked.integrity)
      throw new Error(`${id} is installed twice with different contents`);
    if (component === undefined) {
      component = {
        name: pkg.name,
        version: pkg.version,
        license: licenseOf(pkg),
        dirs: [],
        workspace: !lockDir.split('/').includes('node_modules'),
        integrity: locked.integrity,
        files: [],
      };
      byId.set(id, component);
    }
    if (!component.dirs.includes(lockDir)) component.dirs.push(lockDir);
    const patch = patched.get(path);
    const bytes = patch?.contents ?? readFileSync(join(root, path));
    component.files.push({
      path,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytesInOutput,
      ...(patch === undefined ? {} : { patched: patch.why }),
    });
  }
  const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const components = [...byId.values()];
  for (const c of components) {
    c.files.sort((a, b) => byText(a.path, b.path));
    c.dirs.sort(byText);
  }
  return components.sort((a, b) => byText(`${a.name}@${a.version}`, `${b.name}@${b.version}`));
}
