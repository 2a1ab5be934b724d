import { createCipheriv } from 'node:crypto';
import { aesCmac } from '@byok-ceremony/shared';
import { hex, runChecks, type KatResult } from './kat-result.js';
import { CMAC_VECTORS, type CmacVector } from './vectors.js';

function aesEcbBlock(key: Buffer): (block: Uint8Array) => Uint8Array {
  return (block) => {
    const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(block), cipher.final()]);
  };
}

/** AES-CMAC (RFC 4493, SP 800-38B): the implementation the symmetric key check value uses. */
export function katAesCmac(vectors: readonly CmacVector[] = CMAC_VECTORS): KatResult {
  return runChecks(
    'AES-CMAC (RFC 4493)',
    vectors.map((v) => [
      v.name,
      () => Buffer.from(aesCmac(aesEcbBlock(hex(v.key)), hex(v.message))).equals(hex(v.mac)),
    ]),
  );
}
