import { sha256 } from '../digest/sha256.js';
import { encodeHex } from '../encoding/hex.js';
import type { KeySpec } from '../kms/rules.js';
import { KEY_SPEC_RULES } from '../kms/rules.js';
import { aesCmac, type EncryptBlock } from './aes-cmac.js';

/** The all-zero block every check value is computed over, as PCI PIN and AWS Payment Cryptography do. */
export const KCV_INPUT_BLOCK: Uint8Array = new Uint8Array(16);
export const KCV_BYTES = 3;

/** How the caller's crypto computes what the KCV of each material kind is taken from. */
export interface KcvSources {
  /** AES-ECB encryption of one block under the symmetric material. */
  readonly aesEncryptBlock?: EncryptBlock;
  /**
   * AES-CMAC of KCV_INPUT_BLOCK under the symmetric material, computed whole where the key is
   * (a PKCS#11 token's CKM_AES_CMAC), in place of the CMAC built here over aesEncryptBlock.
   */
  readonly aesCmacOfZeroBlock?: () => Uint8Array;
  /** HMAC of KCV_INPUT_BLOCK under the HMAC material, with the spec's hash. */
  readonly hmacOfZeroBlock?: () => Uint8Array;
  /** DER SubjectPublicKeyInfo of the private key material. */
  readonly publicKeyDer?: () => Uint8Array;
}

function firstBytesHex(bytes: Uint8Array): string {
  return encodeHex(bytes.subarray(0, KCV_BYTES)).toUpperCase();
}

/**
 * Key check value: six hex digits that identify material without revealing it.
 * - symmetric: AES-CMAC(material, zero block), first 3 bytes;
 * - HMAC: HMAC-SHA-n(material, zero block), first 3 bytes;
 * - private keys: SHA-256(DER public key), first 3 bytes.
 */
export function keyCheckValue(keySpec: KeySpec, sources: KcvSources): string {
  const rule = KEY_SPEC_RULES[keySpec].material;
  switch (rule?.kind) {
    case 'symmetric': {
      let mac: Uint8Array;
      if (sources.aesCmacOfZeroBlock !== undefined) mac = sources.aesCmacOfZeroBlock();
      else if (sources.aesEncryptBlock !== undefined)
        mac = aesCmac(sources.aesEncryptBlock, KCV_INPUT_BLOCK);
      else throw new TypeError('symmetric KCV needs aesEncryptBlock or aesCmacOfZeroBlock');
      const kcv = firstBytesHex(mac);
      mac.fill(0);
      return kcv;
    }
    case 'hmac': {
      if (sources.hmacOfZeroBlock === undefined)
        throw new TypeError('HMAC KCV needs hmacOfZeroBlock');
      const mac = sources.hmacOfZeroBlock();
      const kcv = firstBytesHex(mac);
      mac.fill(0);
      return kcv;
    }
    case 'rsa-private':
    case 'ec-private':
      if (sources.publicKeyDer === undefined)
        throw new TypeError('private-key KCV needs publicKeyDer');
      return firstBytesHex(sha256(sources.publicKeyDer()));
    case undefined:
      throw new TypeError(`${keySpec} takes no imported material`);
  }
}
