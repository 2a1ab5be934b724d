import { aesKeyUnwrapPad, aesKeyWrapPad } from '@byok-ceremony/node-io/key-material';
import { hex, runChecks, type KatResult } from './kat-result.js';
import { KEY_WRAP_PAD_VECTORS, type KeyWrapVector } from './vectors.js';

/** RFC 5649 through the same aesKeyWrapPad that RSA_AES_KEY_WRAP_* blobs are made with, and back. */
export function katAesKeyWrap(vectors: readonly KeyWrapVector[] = KEY_WRAP_PAD_VECTORS): KatResult {
  return runChecks(
    'AES key wrap with padding (RFC 5649)',
    vectors.flatMap((v) => [
      [`${v.name}, wrap`, () => aesKeyWrapPad(hex(v.kek), hex(v.key)).equals(hex(v.wrapped))],
      [`${v.name}, unwrap`, () => aesKeyUnwrapPad(hex(v.kek), hex(v.wrapped)).equals(hex(v.key))],
    ]),
  );
}
