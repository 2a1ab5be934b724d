import type { Mechanism, RsaOAEP } from 'pkcs11js';
import {
  hashOfWrappingAlgorithm,
  isAesKeyWrapAlgorithm,
  type WrappingAlgorithm,
} from '@byok-ceremony/shared';
import { pkcs11Call } from './pkcs11-failure.js';
import { hasMechanism, type TokenContext } from './token-context.js';
import { rsaPartsOf } from './token-public-key.js';

/** CK_RSA_PKCS_OAEP_PARAMS' source: the label is given (empty), as KMS and OpenSSL use OAEP. */
const CKZ_DATA_SPECIFIED = 1;
/** Larger than any EncryptedKeyMaterial KMS takes (6,144 bytes). */
const WRAPPED_MAX = 8192;

/** CKM_RSA_PKCS_OAEP with the algorithm's hash for both OAEP and MGF1, as KMS unwraps it. */
function oaepMechanism(ctx: TokenContext, algorithm: WrappingAlgorithm): Mechanism {
  const { lib } = ctx;
  const sha256 = hashOfWrappingAlgorithm(algorithm) === 'sha256';
  const parameter: RsaOAEP = {
    type: lib.CK_PARAMS_RSA_OAEP,
    hashAlg: sha256 ? lib.CKM_SHA256 : lib.CKM_SHA_1,
    mgf: sha256 ? lib.CKG_MGF1_SHA256 : lib.CKG_MGF1_SHA1,
    source: CKZ_DATA_SPECIFIED,
  };
  return { mechanism: lib.CKM_RSA_PKCS_OAEP, parameter };
}

/** The wrapping public key as a session object that can only wrap (gone when the session ends). */
function importWrappingKey(ctx: TokenContext, spki: Buffer): Buffer {
  const { lib, module, session } = ctx;
  const { modulus, exponent } = rsaPartsOf(spki);
  return pkcs11Call('import the wrapping public key', () =>
    module.C_CreateObject(session, [
      { type: lib.CKA_CLASS, value: lib.CKO_PUBLIC_KEY },
      { type: lib.CKA_KEY_TYPE, value: lib.CKK_RSA },
      { type: lib.CKA_TOKEN, value: false },
      { type: lib.CKA_WRAP, value: true },
      { type: lib.CKA_ENCRYPT, value: false },
      { type: lib.CKA_VERIFY, value: false },
      { type: lib.CKA_MODULUS, value: modulus },
      { type: lib.CKA_PUBLIC_EXPONENT, value: exponent },
    ]),
  );
}

/** An AES-256 session key that can only wrap, and be wrapped itself: the two-step's ephemeral key. */
export function ephemeralAesKey(ctx: TokenContext): Buffer {
  const { lib, module, session } = ctx;
  return pkcs11Call('generate the ephemeral AES key', () =>
    module.C_GenerateKey(session, { mechanism: lib.CKM_AES_KEY_GEN }, [
      { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
      { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
      { type: lib.CKA_VALUE_LEN, value: 32 },
      { type: lib.CKA_TOKEN, value: false },
      { type: lib.CKA_SENSITIVE, value: true },
      { type: lib.CKA_EXTRACTABLE, value: true },
      { type: lib.CKA_WRAP, value: true },
      { type: lib.CKA_ENCRYPT, value: false },
      { type: lib.CKA_DECRYPT, value: false },
    ]),
  );
}

function destroy(ctx: TokenContext, object: Buffer): void {
  ctx.module.C_DestroyObject(ctx.session, object);
}

function wrapWith(
  ctx: TokenContext,
  mechanism: Mechanism,
  wrappingKey: Buffer,
  key: Buffer,
): Buffer {
  return Buffer.from(
    ctx.module.C_WrapKey(ctx.session, mechanism, wrappingKey, key, Buffer.alloc(WRAPPED_MAX)),
  );
}

/**
 * KMS's EncryptedKeyMaterial made inside the token. RSAES_OAEP_*: CKM_RSA_PKCS_OAEP of the key.
 * RSA_AES_KEY_WRAP_*: the two-step form of CKM_RSA_AES_KEY_WRAP (pkcs11js cannot pass that
 * mechanism's parameters, which point to OAEP parameters; SoftHSM lacks it anyway): the key
 * wrapped by CKM_AES_KEY_WRAP_PAD under an ephemeral AES key made in the token, that key wrapped by
 * OAEP, the OAEP part first; the ephemeral key and the imported public key are destroyed after.
 */
export function wrapInToken(
  ctx: TokenContext,
  key: Buffer,
  wrappingKeySpki: Buffer,
  algorithm: WrappingAlgorithm,
): Buffer {
  const wrappingKey = importWrappingKey(ctx, wrappingKeySpki);
  try {
    const oaep = oaepMechanism(ctx, algorithm);
    if (!isAesKeyWrapAlgorithm(algorithm))
      return pkcs11Call(`wrap the material (${algorithm})`, () =>
        wrapWith(ctx, oaep, wrappingKey, key),
      );
    const ephemeral = ephemeralAesKey(ctx);
    try {
      const kwp = pkcs11Call('wrap the material (CKM_AES_KEY_WRAP_PAD)', () =>
        wrapWith(ctx, { mechanism: ctx.lib.CKM_AES_KEY_WRAP_PAD }, ephemeral, key),
      );
      const rsa = pkcs11Call(`wrap the ephemeral AES key (${algorithm})`, () =>
        wrapWith(ctx, oaep, wrappingKey, ephemeral),
      );
      return Buffer.concat([rsa, kwp]);
    } finally {
      pkcs11Call('destroy the ephemeral AES key', () => {
        destroy(ctx, ephemeral);
      });
    }
  } finally {
    pkcs11Call('destroy the imported wrapping key', () => {
      destroy(ctx, wrappingKey);
    });
  }
}

/**
 * Why the token cannot wrap for this algorithm, or undefined when it can: a trial of the OAEP
 * step on a session AES key (SoftHSM lists CKM_RSA_PKCS_OAEP but refuses SHA-256 parameters, so
 * only a trial tells), and CKM_AES_KEY_WRAP_PAD listed for the two-step form. Session objects
 * only: nothing is left in the token.
 */
export function cannotWrap(
  ctx: TokenContext,
  algorithm: WrappingAlgorithm,
  wrappingKeySpki: Buffer,
): string | undefined {
  const { lib } = ctx;
  if (!hasMechanism(ctx, lib.CKM_RSA_PKCS_OAEP, lib.CKF_WRAP))
    return 'the token cannot wrap with CKM_RSA_PKCS_OAEP';
  if (
    isAesKeyWrapAlgorithm(algorithm) &&
    !hasMechanism(ctx, lib.CKM_AES_KEY_WRAP_PAD, lib.CKF_WRAP)
  )
    return 'the token cannot wrap with CKM_AES_KEY_WRAP_PAD (RFC 5649)';
  const trialKey = ephemeralAesKey(ctx);
  try {
    const wrappingKey = importWrappingKey(ctx, wrappingKeySpki);
    try {
      wrapWith(ctx, oaepMechanism(ctx, algorithm), wrappingKey, trialKey);
      return undefined;
    } catch (error) {
      const hash = hashOfWrappingAlgorithm(algorithm) === 'sha256' ? 'SHA-256' : 'SHA-1';
      return `the token refused CKM_RSA_PKCS_OAEP with ${hash} (${(error as Error).message.split(':')[0] ?? ''})`;
    } finally {
      destroy(ctx, wrappingKey);
    }
  } finally {
    destroy(ctx, trialKey);
  }
}
