import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The ZXing reader's WebAssembly, read from the installed zxing-wasm package. The single-file
 * build of byok-offline (scripts/build-offline.mjs) replaces this module with one that holds
 * the bytes, so the artifact needs no node_modules; neither ever fetches them.
 */
export function zxingReaderWasm(): ArrayBuffer {
  const path = fileURLToPath(import.meta.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  const bytes = readFileSync(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}
