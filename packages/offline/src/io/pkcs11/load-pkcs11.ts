import type * as Pkcs11Js from 'pkcs11js';
import { ByokError } from '@byok-ceremony/shared';

/** The pkcs11js module: its PKCS11 class and the CK* constants. */
export type Pkcs11Lib = typeof Pkcs11Js;

/**
 * Loads the PKCS#11 binding, a native addon and an optional dependency: only `--hsm` reaches
 * this import(), so the default path, its start-up and the single-file artifact never load it.
 */
export async function loadPkcs11(): Promise<Pkcs11Lib> {
  let loaded: Pkcs11Lib & { readonly default?: Pkcs11Lib };
  try {
    loaded = await import('pkcs11js');
  } catch (error) {
    throw new ByokError(
      'ERR_HSM_MODULE',
      `--hsm needs the PKCS#11 binding pkcs11js, which did not load: ${(error as Error).message.split('\n')[0] ?? ''}`,
      {
        hint: 'Install it built for this Node (npm ci builds it with python3, make and g++; npm rebuild pkcs11js after changing Node), or bring node_modules/pkcs11js next to byok-offline.mjs as docs/airgap.md says.',
      },
    );
  }
  // A CommonJS module: its exports are the default export of the ES module namespace.
  return loaded.default ?? loaded;
}
