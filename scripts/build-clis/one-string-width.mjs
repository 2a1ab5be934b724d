// yargs' help layout with one string-width, whose segmenter is made on first use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const EAGER = 'const segmenter = new Intl.Segmenter();';
const LAZY = [
  '// Made on first use (scripts/build-clis/one-string-width.mjs): making one loads ICU data.',
  'let byokSegmenter;',
  'const segmenter = { segment: (text) => (byokSegmenter ??= new Intl.Segmenter()).segment(text) };',
].join('\n');

/**
 * esbuild plugin. cliui and wrap-ansi (yargs' layout) pin string-width 7, which makes an
 * Intl.Segmenter when loaded (about 7 ms: ICU data) and segments even ASCII, building an emoji
 * regex per character; yargs itself uses string-width 8, same interface, with an ASCII fast path.
 * Every import gets string-width 8, and its segmenter is made when a non-ASCII string is first
 * measured, which help made of ASCII never does.
 */
export function oneStringWidth(root) {
  const path = join(root, 'node_modules/string-width/index.js');
  return {
    name: 'one-string-width',
    setup(b) {
      b.onResolve({ filter: /^string-width$/ }, () => ({ path }));
      b.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, (args) => {
        if (args.path !== path) throw new Error(`${args.path}: not the string-width resolved`);
        const source = readFileSync(path, 'utf8');
        const { version } = JSON.parse(
          readFileSync(join(root, 'node_modules/string-width/package.json'), 'utf8'),
        );
        if (!version.startsWith('8.') || source.split(EAGER).length !== 2)
          throw new Error(
            `string-width ${version} changed; update scripts/build-clis/one-string-width.mjs`,
          );
        return {
          loader: 'js',
          contents: source.replace(EAGER, LAZY),
          resolveDir: join(path, '..'),
        };
      });
    },
  };
}
