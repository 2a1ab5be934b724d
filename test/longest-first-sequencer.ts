import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Starts the files that run longest first, so that no long file starts last while the other
 * workers sit idle. vitest orders by the durations of the last run, but a file it has no duration
 * for by its size alone, which puts a three-line file that runs part of the ceremony matrix or a
 * runbook variant (through a shared module beside it) after every unit test. Here a file without a
 * duration (all of them on a fresh clone) is weighed by its size with the test modules it imports
 * from its own folder, and goes before the files with one, as vitest's own order intends.
 */
export default class LongestFirstSequencer extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const duration = (file: TestSpecification): number | undefined =>
      this.ctx.cache.getFileTestResults(`${file.project.name}:${relative(root, file.moduleId)}`)
        ?.duration;
    const unknown = files.filter((f) => duration(f) === undefined);
    const known = files.filter((f) => duration(f) !== undefined);
    const bySize = new Map(unknown.map((f) => [f, sizeWithLocalModules(f.moduleId)]));
    return Promise.resolve([
      ...unknown.sort((a, b) => bySize.get(b)! - bySize.get(a)!),
      ...known.sort((a, b) => duration(b)! - duration(a)!),
    ]);
  }
}

/** The file's size plus that of each module it imports from its own folder (`./x.js` → x.ts). */
function sizeWithLocalModules(path: string): number {
  const text = readFileSync(path, 'utf8');
  let size = text.length;
  for (const [, local] of text.matchAll(/from '\.\/([\w.-]+)\.js'/g)) {
    try {
      size += statSync(resolve(dirname(path), `${local}.ts`)).size;
    } catch {
      // Not a TypeScript module of the folder (a .mjs helper, say): the file's own size counts.
    }
  }
  return size;
}
