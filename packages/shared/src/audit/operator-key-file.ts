import { canonicalJson } from '../digest/canonical-json.js';
import { encodeUtf8 } from '../encoding/utf8.js';
import { ByokError } from '../errors.js';
import { FieldChecker } from '../validation/field-checker.js';
import { OPERATOR_NAME } from '../validation/operator-name.js';

export const OPERATOR_KEY_FORMAT = 'byok-ceremony/operator-key';
export const OPERATOR_PUBLIC_KEY_FORMAT = 'byok-ceremony/operator-public-key';
export const OPERATOR_KEY_VERSION = 1;
/** Ed25519 SPKI is always 44 bytes; anything else is not an operator key. */
export const ED25519_SPKI_BYTES = 44;
/** Long enough that scrypt makes guessing slow; a passphrase is a sentence, not a PIN. */
export const MIN_PASSPHRASE_LENGTH = 12;

/** N·r·p of what `byok-offline operator keygen` writes (N = 2^15, r = 8, p = 1). */
const KEYGEN_SCRYPT_COST = 2 ** 15 * 8 * 1;
/**
 * The largest N·r·p a key file may ask for: 4× keygen's, 256 MiB of scrypt memory. A file
 * asking more would make unlocking take gigabytes and minutes; nothing we write does.
 */
export const MAX_SCRYPT_COST = 4 * KEYGEN_SCRYPT_COST;

export interface ScryptParameters {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** scrypt's working memory as OpenSSL counts it against maxmem: 128·r·p for B, 128·r·(N + 2) for V. */
export function scryptMemoryBytes(params: ScryptParameters): number {
  return 128 * params.r * (params.N + 2 + params.p);
}

/** The most scrypt memory a key file may ask for (keygen's parameters need 32 MiB). */
export const MAX_SCRYPT_MEMORY_BYTES = 256 * 1024 * 1024;

/**
 * The problems OpenSSL would refuse scrypt parameters for (EVP_PBE_scrypt): N a power of two
 * above 1, N < 2^(16·r), r·p < 2^30, and the memory within our bound; plus this format's range.
 */
export function scryptProblems(params: ScryptParameters): { field: string; problem: string }[] {
  const { N, r, p } = params;
  const problems: { field: string; problem: string }[] = [];
  if (N < 2 || N % 2 !== 0 || !Number.isInteger(Math.log2(N)) || N < 2 ** 14 || N > 2 ** 20)
    problems.push({ field: 'N', problem: 'must be a power of two from 2^14 to 2^20' });
  else if (16 * r < 53 && N >= 2 ** (16 * r))
    problems.push({
      field: 'N',
      problem: `is 2^${Math.log2(N)}, but scrypt needs N below 2^(16·r) = 2^${16 * r} for r = ${r}`,
    });
  if (r * p >= 2 ** 30) problems.push({ field: 'p', problem: 'r·p must be below 2^30' });
  const memory = scryptMemoryBytes(params);
  if (memory > MAX_SCRYPT_MEMORY_BYTES)
    problems.push({
      field: 'N',
      problem: `with r = ${r} and p = ${p} needs ${Math.ceil(memory / 2 ** 20)} MiB of scrypt memory, above the ${MAX_SCRYPT_MEMORY_BYTES / 2 ** 20} MiB limit`,
    });
  return problems;
}

/** An operator's Ed25519 key pair, the private key encrypted under the operator's passphrase. */
export interface OperatorKeyFile {
  readonly format: typeof OPERATOR_KEY_FORMAT;
  readonly version: typeof OPERATOR_KEY_VERSION;
  readonly name: string;
  /** Ed25519 DER SubjectPublicKeyInfo, base64. */
  readonly publicKey: string;
  readonly privateKey: {
    readonly kdf: 'scrypt';
    readonly N: number;
    readonly r: number;
    readonly p: number;
    /** base64 */
    readonly salt: string;
    readonly cipher: 'aes-256-gcm';
    readonly iv: string;
    /** AES-256-GCM of the PKCS#8 DER private key, base64. */
    readonly ciphertext: string;
    readonly tag: string;
  };
}

/** The public half that a witness or verifier keeps to pin an operator's key. */
export interface OperatorPublicKeyFile {
  readonly format: typeof OPERATOR_PUBLIC_KEY_FORMAT;
  readonly version: typeof OPERATOR_KEY_VERSION;
  readonly name: string;
  readonly publicKey: string;
}

/** GCM additional data: the ciphertext opens only under the name and public key it was made for. */
export function operatorKeyAad(name: string, publicKey: string): Uint8Array {
  return encodeUtf8(canonicalJson({ format: OPERATOR_KEY_FORMAT, name, publicKey }));
}

function hint(path: string): string {
  return `Give the file ${path} exactly as byok-offline operator keygen wrote it.`;
}

/** Validates a parsed operator key file strictly, listing every bad field. */
export function parseOperatorKeyFile(value: unknown, path: string): OperatorKeyFile {
  const c = new FieldChecker();
  const f = c.object(value, 'operatorKey', [
    'format',
    'version',
    'name',
    'publicKey',
    'privateKey',
  ]);
  if (f !== undefined) {
    c.constant(f['format'], 'operatorKey.format', OPERATOR_KEY_FORMAT);
    c.constant(f['version'], 'operatorKey.version', OPERATOR_KEY_VERSION);
    c.string(f['name'], 'operatorKey.name', OPERATOR_NAME, 'an operator name');
    c.base64(f['publicKey'], 'operatorKey.publicKey', ED25519_SPKI_BYTES, ED25519_SPKI_BYTES);
    const k = c.object(f['privateKey'], 'operatorKey.privateKey', [
      'kdf',
      'N',
      'r',
      'p',
      'salt',
      'cipher',
      'iv',
      'ciphertext',
      'tag',
    ]);
    if (k !== undefined) {
      c.constant(k['kdf'], 'operatorKey.privateKey.kdf', 'scrypt');
      c.constant(k['cipher'], 'operatorKey.privateKey.cipher', 'aes-256-gcm');
      const n = k['N'];
      let valid = typeof n === 'number' && Number.isSafeInteger(n);
      if (!valid) c.fail('operatorKey.privateKey.N', 'must be a power of two from 2^14 to 2^20');
      for (const field of ['r', 'p'] as const) {
        const v = k[field];
        if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > 16) {
          c.fail(`operatorKey.privateKey.${field}`, 'must be an integer from 1 to 16');
          valid = false;
        }
      }
      if (valid) {
        const params = { N: n as number, r: k['r'] as number, p: k['p'] as number };
        const cost = params.N * params.r * params.p;
        if (cost > MAX_SCRYPT_COST)
          c.fail(
            'operatorKey.privateKey',
            `scrypt N·r·p is ${cost}, above ${MAX_SCRYPT_COST} (4× what operator keygen writes): refusing to spend ${(128 * cost) / 2 ** 20} MiB on it`,
          );
        else
          for (const { field, problem } of scryptProblems(params))
            c.fail(`operatorKey.privateKey.${field}`, problem);
      }
      c.base64(k['salt'], 'operatorKey.privateKey.salt', 16, 64);
      c.base64(k['iv'], 'operatorKey.privateKey.iv', 12, 12);
      c.base64(k['ciphertext'], 'operatorKey.privateKey.ciphertext', 16, 256);
      c.base64(k['tag'], 'operatorKey.privateKey.tag', 16, 16);
    }
  }
  if (c.problems.length > 0) {
    throw new ByokError(
      'ERR_OPERATOR_KEY',
      `${path} is not a valid operator key file:\n${c.problems.map((p) => `  ${p}`).join('\n')}`,
      {
        hint: hint(path),
        details: c.problems,
      },
    );
  }
  return value as OperatorKeyFile;
}

/** The name and public key of an operator from either the key file or its public half. */
export function parseOperatorPublicKey(value: unknown, path: string): OperatorPublicKeyFile {
  const c = new FieldChecker();
  const isPrivate =
    typeof value === 'object' &&
    value !== null &&
    (value as { format?: unknown }).format === OPERATOR_KEY_FORMAT;
  if (isPrivate) {
    const file = parseOperatorKeyFile(value, path);
    return {
      format: OPERATOR_PUBLIC_KEY_FORMAT,
      version: OPERATOR_KEY_VERSION,
      name: file.name,
      publicKey: file.publicKey,
    };
  }
  const f = c.object(value, 'operatorPublicKey', ['format', 'version', 'name', 'publicKey']);
  if (f !== undefined) {
    c.constant(f['format'], 'operatorPublicKey.format', OPERATOR_PUBLIC_KEY_FORMAT);
    c.constant(f['version'], 'operatorPublicKey.version', OPERATOR_KEY_VERSION);
    c.string(f['name'], 'operatorPublicKey.name', OPERATOR_NAME, 'an operator name');
    c.base64(f['publicKey'], 'operatorPublicKey.publicKey', ED25519_SPKI_BYTES, ED25519_SPKI_BYTES);
  }
  if (c.problems.length > 0) {
    throw new ByokError(
      'ERR_OPERATOR_KEY',
      `${path} is not an operator public key:\n${c.problems.map((p) => `  ${p}`).join('\n')}`,
      {
        hint: hint(path),
        details: c.problems,
      },
    );
  }
  return value as OperatorPublicKeyFile;
}
