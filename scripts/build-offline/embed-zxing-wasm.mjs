// The ZXing reader WebAssembly inside the single file: node-io's loader module swapped for one that holds the bytes.

/** The module of packages/node-io that reads the .wasm from node_modules. */
export const ZXING_WASM_MODULE = 'packages/node-io/dist/io/zxing-reader-wasm.js';

const EMBEDDED = [
  "import bytes from 'zxing-wasm/reader/zxing_reader.wasm';",
  '/** The ZXing reader WebAssembly, embedded at build time (esbuild binary loader). */',
  'export function zxingReaderWasm() {',
  '  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);',
  '}',
  '',
].join('\n');

/**
 * esbuild plugin. `patched` receives the contents used in place of the file, for the SBOM;
 * the build fails if the module was never loaded (the bundle would have no scanner wasm).
 */
export function embedZxingWasm(root, patched) {
  return {
    name: 'embed-zxing-wasm',
    setup(b) {
      b.onLoad({ filter: /[\\/]zxing-reader-wasm\.js$/ }, (args) => {
        const path = args.path
          .slice(root.length + 1)
          .split('\\')
          .join('/');
        if (path !== ZXING_WASM_MODULE) return undefined;
        patched.set(path, {
          contents: EMBEDDED,
          why: 'the .wasm embedded instead of read from node_modules',
        });
        return { resolveDir: `${root}/packages/node-io`, loader: 'js', contents: EMBEDDED };
      });
      b.onEnd((result) => {
        if (result.errors.length === 0 && !patched.has(ZXING_WASM_MODULE))
          throw new Error(
            `${ZXING_WASM_MODULE} was not bundled: the scanner's .wasm would be missing`,
          );
      });
    },
  };
}
