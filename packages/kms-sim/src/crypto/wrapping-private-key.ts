import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { WrappingKeyRecord } from '../state/types.js';

/**
 * Each wrapping key record's private key as node:crypto holds it. Decoding the PKCS#8 took longer
 * than the RSA decryption of ImportKeyMaterial itself (about 0.4 against 0.3 ms for RSA_2048).
 * Held beside the record, not in it, so that the record and the state file stay as they are; it
 * goes when the record does.
 */
const decoded = new WeakMap<WrappingKeyRecord, KeyObject>();

/** Keeps the key GetParametersForImport took from the pool, already decoded, for the record. */
export function keepDecodedPrivateKey(record: WrappingKeyRecord, key: KeyObject | undefined): void {
  if (key !== undefined) decoded.set(record, key);
}

/** The record's private key, decoded from its DER on first use (a record read from a state file). */
export function privateKeyOf(record: WrappingKeyRecord): KeyObject {
  let key = decoded.get(record);
  if (key === undefined) {
    key = createPrivateKey({ key: record.privateKeyDer, format: 'der', type: 'pkcs8' });
    decoded.set(record, key);
  }
  return key;
}
