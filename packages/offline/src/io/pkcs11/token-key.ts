import { ByokError, KEY_SPEC_RULES, type KeySpec } from '@byok-ceremony/shared';
import type { TokenKey, TokenObjectName } from '../../ops/hsm-token.js';
import { pkcs11Call } from './pkcs11-failure.js';
import { findObjects, type TokenContext } from './token-context.js';
import { ecPublicKeyDer, rsaPublicKeyDer } from './token-public-key.js';
import { wrapInToken } from './token-wrap.js';

/** The secret or private key object and, for key pairs, the public key object beside it. */
export interface KeyObjects {
  readonly key: Buffer;
  readonly publicKey?: Buffer;
}

type MaterialRule = NonNullable<(typeof KEY_SPEC_RULES)[KeySpec]['material']>;

function ruleOf(keySpec: KeySpec): MaterialRule {
  const rule = KEY_SPEC_RULES[keySpec].material;
  if (rule === undefined) throw new TypeError(`${keySpec} takes no imported material`);
  return rule;
}

/** The C_Sign mechanism of the material's check value and proof: AES-CMAC or the spec's HMAC. */
export function macMechanism(ctx: TokenContext, keySpec: KeySpec): number | undefined {
  const rule = ruleOf(keySpec);
  const { lib } = ctx;
  if (rule.kind === 'symmetric') return lib.CKM_AES_CMAC;
  if (rule.kind !== 'hmac') return undefined;
  return {
    sha1: lib.CKM_SHA_1_HMAC,
    sha224: lib.CKM_SHA224_HMAC,
    sha256: lib.CKM_SHA256_HMAC,
    sha384: lib.CKM_SHA384_HMAC,
    sha512: lib.CKM_SHA512_HMAC,
  }[rule.hash];
}

/** CKA_KEY_TYPE of the spec's material: AES, generic secret (HMAC), RSA or EC. */
export function keyTypeOf(ctx: TokenContext, keySpec: KeySpec): number {
  const { lib } = ctx;
  switch (ruleOf(keySpec).kind) {
    case 'symmetric':
      return lib.CKK_AES;
    case 'hmac':
      return lib.CKK_GENERIC_SECRET;
    case 'rsa-private':
      return lib.CKK_RSA;
    case 'ec-private':
      return lib.CKK_EC;
  }
}

function readAttribute(ctx: TokenContext, object: Buffer, type: number, what: string): Buffer {
  return pkcs11Call(`read the ${what} of a key`, () => {
    const [attribute] = ctx.module.C_GetAttributeValue(ctx.session, object, [{ type }]);
    return attribute!.value;
  });
}

/** The TokenKey of objects on the token: operations by the token, no way to read the value. */
export function tokenKey(
  ctx: TokenContext,
  keySpec: KeySpec,
  name: TokenObjectName,
  objects: KeyObjects,
): TokenKey {
  const rule = ruleOf(keySpec);
  const { lib, module, session } = ctx;
  return {
    keySpec,
    name,
    mac: (message) => {
      const mechanism = macMechanism(ctx, keySpec);
      if (mechanism === undefined) throw new TypeError(`${keySpec} keys have no MAC`);
      return pkcs11Call(`compute a MAC (${keySpec})`, () => {
        module.C_SignInit(session, { mechanism }, objects.key);
        return Buffer.from(module.C_Sign(session, Buffer.from(message), Buffer.alloc(128)));
      });
    },
    publicKeyDer: () => {
      if (rule.kind === 'rsa-private')
        return rsaPublicKeyDer(
          readAttribute(ctx, objects.key, lib.CKA_MODULUS, 'modulus'),
          readAttribute(ctx, objects.key, lib.CKA_PUBLIC_EXPONENT, 'public exponent'),
        );
      if (rule.kind === 'ec-private') {
        if (objects.publicKey === undefined)
          throw new ByokError('ERR_HSM', `the EC key ${name.label} has no public key object`, {
            hint: 'An EC private key object does not hold its public point: keep the public key object (same label and CKA_ID) on the token.',
          });
        return ecPublicKeyDer(
          keySpec,
          readAttribute(ctx, objects.publicKey, lib.CKA_EC_POINT, 'EC point'),
        );
      }
      throw new TypeError(`${keySpec} keys have no public key`);
    },
    wrap: (wrappingKeySpki, algorithm) => wrapInToken(ctx, objects.key, wrappingKeySpki, algorithm),
    destroy: () => {
      for (const object of [objects.key, objects.publicKey])
        if (object !== undefined)
          pkcs11Call('destroy a key object', () => {
            module.C_DestroyObject(session, object);
          });
    },
  };
}

/** The key objects labelled so (and with this CKA_ID, if given), paired with their public keys. */
export function findKeyObjects(
  ctx: TokenContext,
  keySpec: KeySpec,
  name: { readonly label?: string; readonly id?: Uint8Array },
): { readonly name: TokenObjectName; readonly objects: KeyObjects }[] {
  const rule = ruleOf(keySpec);
  const { lib } = ctx;
  const asymmetric = rule.kind === 'rsa-private' || rule.kind === 'ec-private';
  const match = [
    ...(name.label === undefined ? [] : [{ type: lib.CKA_LABEL, value: name.label }]),
    ...(name.id === undefined ? [] : [{ type: lib.CKA_ID, value: Buffer.from(name.id) }]),
  ];
  const keys = pkcs11Call('search the token', () =>
    findObjects(ctx, [
      { type: lib.CKA_CLASS, value: asymmetric ? lib.CKO_PRIVATE_KEY : lib.CKO_SECRET_KEY },
      { type: lib.CKA_KEY_TYPE, value: keyTypeOf(ctx, keySpec) },
      ...match,
    ]),
  );
  return keys.map((key) => {
    const label = readAttribute(ctx, key, lib.CKA_LABEL, 'label').toString('utf8');
    const id = readAttribute(ctx, key, lib.CKA_ID, 'id');
    const keyName = { label, id: Uint8Array.from(id) };
    if (!asymmetric) return { name: keyName, objects: { key } };
    const [publicKey] = pkcs11Call('search the token', () =>
      findObjects(ctx, [
        { type: lib.CKA_CLASS, value: lib.CKO_PUBLIC_KEY },
        { type: lib.CKA_LABEL, value: label },
        { type: lib.CKA_ID, value: id },
      ]),
    );
    return { name: keyName, objects: publicKey === undefined ? { key } : { key, publicKey } };
  });
}
