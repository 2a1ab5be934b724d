import { createPublicKey, type KeyObject } from 'node:crypto';
import { ByokError, WRAPPING_KEY_SPECS, type WrappingKeySpec } from '@byok-ceremony/shared';

const MIN_MODULUS_BITS = 2048;
const EXPECTED_EXPONENT = 65537n;

export interface WrappingKey {
  readonly key: KeyObject;
  readonly wrappingKeySpec: WrappingKeySpec;
}

function invalid(message: string, hint: string): ByokError {
  return new ByokError('ERR_WRAPPING_KEY_INVALID', message, { hint });
}

const FROM_KMS_HINT =
  'Use the public key GetParametersForImport returned, unchanged; run byok-online prepare again if in doubt.';

/** AlgorithmIdentifier { rsaEncryption, NULL }, DER, as KMS writes it in every wrapping key. */
const RSA_ALGORITHM_ID = Buffer.from('300d06092a864886f70d0101010500', 'hex');

/** A DER length at `at`: short form, or long form in 1 or 2 bytes; undefined otherwise. */
function derLength(der: Uint8Array, at: number): { length: number; next: number } | undefined {
  const first = der[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return { length: first, next: at + 1 };
  if (first === 0x81 && at + 1 < der.length) return { length: der[at + 1]!, next: at + 2 };
  if (first === 0x82 && at + 2 < der.length)
    return { length: (der[at + 1]! << 8) | der[at + 2]!, next: at + 3 };
  return undefined;
}

/**
 * The fast path for an RSA SPKI: the RSAPublicKey inside its BIT STRING imported as PKCS#1
 * (OpenSSL's decoder search for SPKI is about twenty times slower), accepted only if the key's
 * own SPKI re-export is byte for byte the input. Undefined: let the general parser decide.
 */
function importRsaSpkiFast(spki: Buffer): KeyObject | undefined {
  const outer = spki[0] === 0x30 ? derLength(spki, 1) : undefined;
  if (outer === undefined || outer.next + outer.length !== spki.length) return undefined;
  const algorithmEnd = outer.next + RSA_ALGORITHM_ID.length;
  if (!spki.subarray(outer.next, algorithmEnd).equals(RSA_ALGORITHM_ID)) return undefined;
  const bits = spki[algorithmEnd] === 0x03 ? derLength(spki, algorithmEnd + 1) : undefined;
  if (bits === undefined || bits.next + bits.length !== spki.length || spki[bits.next] !== 0)
    return undefined;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki.subarray(bits.next + 1), format: 'der', type: 'pkcs1' });
  } catch {
    return undefined;
  }
  // Public data: a plain comparison is enough; any difference goes to the general parser.
  return key.export({ type: 'spki', format: 'der' }).equals(spki) ? key : undefined;
}

/**
 * A KMS wrapping public key from DER SubjectPublicKeyInfo: RSA, at least 2048 bits, exponent
 * 65537, and of the declared spec when one is given (otherwise the spec its modulus names).
 */
export function parseWrappingKey(
  spkiDer: Uint8Array,
  declared: WrappingKeySpec | undefined,
  what: string,
): WrappingKey {
  const der = Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength);
  let key: KeyObject;
  try {
    key = importRsaSpkiFast(der) ?? createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    throw invalid(
      `the ${what} is not a DER SubjectPublicKeyInfo public key (${spkiDer.length} bytes)`,
      spkiDer[0] === 0x30
        ? FROM_KMS_HINT
        : 'It looks like text: decode it to binary first (openssl enc -d -base64 -A -in PublicKey.b64 -out PublicKey.bin).',
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw invalid(
      `the ${what} is a ${key.asymmetricKeyType ?? 'unknown'} key; KMS wrapping keys are RSA`,
      FROM_KMS_HINT,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_MODULUS_BITS) {
    throw invalid(
      `the ${what} is a ${bits}-bit RSA key; KMS wrapping keys have at least ${MIN_MODULUS_BITS} bits`,
      `A short wrapping key does not come from KMS: someone may have substituted it. ${FROM_KMS_HINT}`,
    );
  }
  const exponent = key.asymmetricKeyDetails?.publicExponent;
  if (exponent !== EXPECTED_EXPONENT) {
    throw invalid(
      `the ${what} has public exponent ${String(exponent)}; KMS wrapping keys use 65537`,
      `A wrapping key with another exponent does not come from KMS. ${FROM_KMS_HINT}`,
    );
  }
  const actual = WRAPPING_KEY_SPECS.find((spec) => spec === `RSA_${bits}`);
  if (actual === undefined) {
    throw invalid(
      `the ${what} is a ${bits}-bit RSA key; KMS wrapping keys are RSA_2048, RSA_3072 or RSA_4096`,
      FROM_KMS_HINT,
    );
  }
  if (declared !== undefined && declared !== actual) {
    throw invalid(
      `the ${what} is ${actual} but is declared as ${declared}`,
      `The key and its declared spec disagree, so one was changed. ${FROM_KMS_HINT}`,
    );
  }
  return { key, wrappingKeySpec: actual };
}
