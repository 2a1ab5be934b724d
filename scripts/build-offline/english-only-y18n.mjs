// yargs' message translations, without files: the single-file build never reads locales from disk.
import { readFileSync } from 'node:fs';

/** The call in yargs' ESM platform shim that points y18n at a locales folder beside node_modules. */
const Y18N_CALL =
  /y18n: y18n\(\{\s*directory: resolve\(__dirname, '\.\.\/\.\.\/\.\.\/locales'\),\s*updateFiles: false\s*\}\)/;

/**
 * y18n's interface, English only: messages are yargs' own source strings, formatted as y18n does.
 * Bundled, y18n would look for `<folder of the file>/../../../locales/<LANG>.json`, a path on the
 * carrying medium or the offline machine that the tool does not control.
 */
const ENGLISH_ONLY = `
import { format as byokFormat } from 'node:util';
function byokEnglishY18n() {
  let locale = 'en';
  const withoutCallback = (args) => {
    if (typeof args[args.length - 1] === 'function') args.pop()();
    return args;
  };
  const api = {
    __(str, ...args) {
      if (typeof str !== 'string') {
        let text = '';
        str.forEach((part, i) => { text += part; if (args[i] !== undefined) text += '%s'; });
        return api.__(text, ...args);
      }
      return byokFormat(str, ...withoutCallback(args));
    },
    __n(singular, plural, quantity, ...args) {
      const str = quantity === 1 ? singular : plural;
      const values = str.includes('%d') ? [quantity] : [];
      return byokFormat(str, ...values, ...withoutCallback(args));
    },
    setLocale(l) { locale = l; },
    getLocale() { return locale; },
    updateLocale() {},
  };
  return api;
}
`;

/** Where the shim's folder search for a package.json starts: the folder above node_modules. */
const MAIN_FILENAME =
  "const mainFilename = __dirname.substring(0, __dirname.lastIndexOf('node_modules'));";

/**
 * esbuild plugin: yargs' shim with y18n replaced by byokEnglishY18n; `patched` as embedZxingWasm's.
 * `mainDir`, if given, is a JS expression for the folder the shim starts its package.json search
 * in: bundled, the shim is not under node_modules, and would search from the working directory.
 */
export function englishOnlyY18n(root, patched, { mainDir } = {}) {
  return {
    name: 'english-only-y18n',
    setup(b) {
      b.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!Y18N_CALL.test(source))
          throw new Error(
            `${args.path}: the y18n call changed; update scripts/build-offline/english-only-y18n.mjs`,
          );
        if (mainDir !== undefined && source.split(MAIN_FILENAME).length !== 2)
          throw new Error(
            `${args.path}: the mainFilename line changed; update scripts/build-offline/english-only-y18n.mjs`,
          );
        const shim =
          mainDir === undefined
            ? source
            : source.replace(MAIN_FILENAME, `const mainFilename = ${mainDir};`);
        const contents = `${shim.replace(Y18N_CALL, 'y18n: byokEnglishY18n()')}\n${ENGLISH_ONLY}`;
        const path = args.path
          .slice(root.length + 1)
          .split('\\')
          .join('/');
        patched.set(path, { contents, why: 'y18n without locale files (English only)' });
        return { loader: 'js', contents };
      });
    },
  };
}
