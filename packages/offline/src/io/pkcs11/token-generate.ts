import { KEY_SPEC_RULES, type KeySpec } from '@byok-ceremony/shared';
import type { TokenKey, TokenObjectName } from '../../ops/hsm-token.js';
import { pkcs11Call } from './pkcs11-failure.js';
import { hasMechanism, type TokenContext } from './token-context.js';
import { keyTypeOf, macMechanism, tokenKey } from './token-key.js';
import { EC_PARAMS_DER } from './token-public-key.js';

/** The key-generation mechanism of each kind of material, its name and the CKF_ flag it needs. */
function generationMechanism(
  ctx: TokenContext,
  keySpec: KeySpec,
): { readonly mechanism: number; readonly name: string; readonly flag: number } {
  const { lib } = ctx;
  switch (KEY_SPEC_RULES[keySpec].material?.kind) {
    case 'symmetric':
      return { mechanism: lib.CKM_AES_KEY_GEN, name: 'CKM_AES_KEY_GEN', flag: lib.CKF_GENERATE };
    case 'hmac':
      return {
        mechanism: lib.CKM_GENERIC_SECRET_KEY_GEN,
        name: 'CKM_GENERIC_SECRET_KEY_GEN',
        flag: lib.CKF_GENERATE,
      };
    case 'rsa-private':
      return {
        mechanism: lib.CKM_RSA_PKCS_KEY_PAIR_GEN,
        name: 'CKM_RSA_PKCS_KEY_PAIR_GEN',
        flag: lib.CKF_GENERATE_KEY_PAIR,
      };
    case 'ec-private':
      return {
        mechanism: lib.CKM_EC_KEY_PAIR_GEN,
        name: 'CKM_EC_KEY_PAIR_GEN',
        flag: lib.CKF_GENERATE_KEY_PAIR,
      };
    case undefined:
      throw new TypeError(`${keySpec} takes no imported material`);
  }
}

/** Why the token cannot generate and prove material of this spec, or undefined when it can. */
export function cannotGenerate(ctx: TokenContext, keySpec: KeySpec): string | undefined {
  const rule = KEY_SPEC_RULES[keySpec].material;
  if (rule === undefined) return `KMS takes no imported material for ${keySpec}`;
  const gen = generationMechanism(ctx, keySpec);
  if (!hasMechanism(ctx, gen.mechanism, gen.flag))
    return `the token has no ${gen.name} to generate ${keySpec} material`;
  if (rule.kind === 'rsa-private') {
    const max = ctx.mechanisms.get(gen.mechanism)?.maxKeySize ?? 0;
    if (max < rule.modulusBits) return `the token generates RSA keys of at most ${max} bits`;
  }
  const mac = macMechanism(ctx, keySpec);
  if (mac !== undefined && !hasMechanism(ctx, mac, ctx.lib.CKF_SIGN))
    return `the token cannot sign with ${rule.kind === 'hmac' ? `HMAC-${rule.hash.toUpperCase()}` : 'AES-CMAC'}, which the check value of ${keySpec} material is computed with`;
  return undefined;
}

/**
 * Generates the material as token objects: sensitive (its value is never readable), extractable
 * only so that C_WrapKey can wrap it, able to sign only where the check value needs C_Sign, and
 * named by label and CKA_ID. Key pairs keep their public key object (an EC private key object
 * does not hold the point).
 */
export function generateInToken(
  ctx: TokenContext,
  keySpec: KeySpec,
  name: TokenObjectName,
): TokenKey {
  const { lib, module, session } = ctx;
  const rule = KEY_SPEC_RULES[keySpec].material;
  const id = Buffer.from(name.id);
  const naming = [
    { type: lib.CKA_TOKEN, value: true },
    { type: lib.CKA_LABEL, value: name.label },
    { type: lib.CKA_ID, value: id },
  ];
  // Common to secret and private keys: private to the user, never readable, wrappable.
  const sensitive = [
    ...naming,
    { type: lib.CKA_PRIVATE, value: true },
    { type: lib.CKA_SENSITIVE, value: true },
    { type: lib.CKA_EXTRACTABLE, value: true },
    { type: lib.CKA_DECRYPT, value: false },
    { type: lib.CKA_UNWRAP, value: false },
    { type: lib.CKA_DERIVE, value: false },
  ];
  const mechanism = { mechanism: generationMechanism(ctx, keySpec).mechanism };
  const what = `generate ${keySpec} material`;
  switch (rule?.kind) {
    case 'symmetric':
    case 'hmac': {
      const key = pkcs11Call(what, () =>
        module.C_GenerateKey(session, mechanism, [
          { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
          { type: lib.CKA_KEY_TYPE, value: keyTypeOf(ctx, keySpec) },
          {
            type: lib.CKA_VALUE_LEN,
            value: rule.kind === 'symmetric' ? rule.bytes : rule.minBytes,
          },
          ...sensitive,
          { type: lib.CKA_ENCRYPT, value: false },
          { type: lib.CKA_WRAP, value: false },
          { type: lib.CKA_SIGN, value: true },
          { type: lib.CKA_VERIFY, value: true },
        ]),
      );
      return tokenKey(ctx, keySpec, name, { key });
    }
    case 'rsa-private':
    case 'ec-private': {
      const publicTemplate = [
        ...naming,
        { type: lib.CKA_PRIVATE, value: false },
        { type: lib.CKA_ENCRYPT, value: false },
        { type: lib.CKA_WRAP, value: false },
        { type: lib.CKA_VERIFY, value: true },
        ...(rule.kind === 'rsa-private'
          ? [
              { type: lib.CKA_MODULUS_BITS, value: rule.modulusBits },
              { type: lib.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
            ]
          : [{ type: lib.CKA_EC_PARAMS, value: EC_PARAMS_DER[rule.curve] }]),
      ];
      const pair = pkcs11Call(what, () =>
        module.C_GenerateKeyPair(session, mechanism, publicTemplate, [
          ...sensitive,
          { type: lib.CKA_SIGN, value: true },
        ]),
      );
      return tokenKey(ctx, keySpec, name, { key: pair.privateKey, publicKey: pair.publicKey });
    }
    case undefined:
      throw new TypeError(`${keySpec} takes no imported material`);
  }
}
