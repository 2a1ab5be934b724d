import { createPrivateKey, createPublicKey } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { ByokError, isWrappingKeySpec } from '@byok-ceremony/shared';
import type { WrappingKeySpec } from '@byok-ceremony/shared';
import type { WrappingKeyPair } from './wrapping-key-pool.js';

export const WRAPPING_KEY_POOL_FORMAT = 'byok-kms-sim-wrapping-key-pool/1';
const MAX_POOL_FILE_BYTES = 16 * 1024 * 1024;

function invalid(path: string, why: string): ByokError {
  return new ByokError('ERR_INPUT_FILE', `wrapping key pool file ${path}: ${why}`, {
    hint: `give a file written by scripts/generate-wrapping-key-pool.mjs ({"format":"${WRAPPING_KEY_POOL_FORMAT}","keys":[{"spec":"RSA_2048","privateKeyPkcs8":"<base64>"}]})`,
  });
}

/**
 * Reads a pool file of RSA wrapping key pairs (PKCS#8, base64), checking each key's type and
 * size against its spec. For tests: it spares them generating RSA keys, and its keys are public.
 */
export function readWrappingKeyPoolFile(path: string): Map<WrappingKeySpec, WrappingKeyPair[]> {
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      if (fstatSync(fd).size > MAX_POOL_FILE_BYTES)
        throw invalid(path, `larger than ${MAX_POOL_FILE_BYTES} bytes`);
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof ByokError) throw error;
    throw new ByokError(
      'ERR_INPUT_FILE',
      `cannot read the wrapping key pool file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { hint: 'check the --wrapping-key-pool-file path' },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid(path, 'not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalid(path, 'not a JSON object');
  const { format, keys } = parsed as { format?: unknown; keys?: unknown };
  if (format !== WRAPPING_KEY_POOL_FORMAT)
    throw invalid(path, `format is not ${WRAPPING_KEY_POOL_FORMAT}`);
  if (!Array.isArray(keys)) throw invalid(path, 'keys is not a list');
  const pools = new Map<WrappingKeySpec, WrappingKeyPair[]>();
  keys.forEach((entry: unknown, index) => {
    const where = `keys[${index}]`;
    if (typeof entry !== 'object' || entry === null)
      throw invalid(path, `${where} is not an object`);
    const { spec, privateKeyPkcs8 } = entry as { spec?: unknown; privateKeyPkcs8?: unknown };
    if (!isWrappingKeySpec(spec))
      throw invalid(path, `${where}.spec is not RSA_2048, RSA_3072 or RSA_4096`);
    if (typeof privateKeyPkcs8 !== 'string')
      throw invalid(path, `${where}.privateKeyPkcs8 is not a string`);
    let pair: WrappingKeyPair;
    try {
      const privateKey = createPrivateKey({
        key: Buffer.from(privateKeyPkcs8, 'base64'),
        format: 'der',
        type: 'pkcs8',
      });
      const details = privateKey.asymmetricKeyDetails;
      if (
        privateKey.asymmetricKeyType !== 'rsa' ||
        details?.modulusLength !== Number(spec.slice(4)) ||
        details.publicExponent !== 65537n
      )
        throw new Error('wrong key');
      pair = {
        publicKeyDer: createPublicKey(privateKey).export({ format: 'der', type: 'spki' }),
        privateKeyDer: privateKey.export({ format: 'der', type: 'pkcs8' }),
        privateKey,
      };
    } catch {
      throw invalid(path, `${where} is not an ${spec} private key with exponent 65537 in PKCS#8`);
    }
    const list = pools.get(spec) ?? [];
    list.push(pair);
    pools.set(spec, list);
  });
  return pools;
}
