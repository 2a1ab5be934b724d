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

/**
 * A KMS wrapping public key from DER SubjectPublicKeyInfo: RSA, at least 2048 bits, exponent
 * 65537, and of the declared spec when one is given (otherwise the spec its modulus names).
 */
export function parseWrappingKey(
  spkiDer: Uint8Array,
  declared: WrappingKeySpec | undefined,
  what: string,
): WrappingKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
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
