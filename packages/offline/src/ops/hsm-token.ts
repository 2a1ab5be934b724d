import type { AuditHsmRecord, KeySpec, WrappingAlgorithm } from '@byok-ceremony/shared';

/** The token as CK_TOKEN_INFO names it (blank padding removed): what the record says. */
export type TokenDescription = AuditHsmRecord['token'];

/** How a token object is named: CKA_LABEL and CKA_ID. */
export interface TokenObjectName {
  readonly label: string;
  readonly id: Uint8Array;
}

/**
 * Key material held by the token: every operation on it runs inside the token, and nothing
 * here can return its value (no CKA_VALUE read, no unwrap to the host).
 */
export interface TokenKey {
  readonly keySpec: KeySpec;
  readonly name: TokenObjectName;
  /** AES-CMAC (symmetric) or HMAC with the spec's hash (HMAC keys) of `message`, by C_Sign. */
  readonly mac: (message: Uint8Array) => Buffer;
  /** DER SubjectPublicKeyInfo of an RSA or EC key, from the token's public attributes. */
  readonly publicKeyDer: () => Buffer;
  /**
   * The EncryptedKeyMaterial KMS takes, made by C_WrapKey under the wrapping public key (DER
   * SPKI) imported as a session object: OAEP, or the two-step RSA-AES wrap.
   */
  readonly wrap: (wrappingKeySpki: Buffer, algorithm: WrappingAlgorithm) => Buffer;
  /** Destroys the token objects (a failed wrap leaves nothing behind). */
  readonly destroy: () => void;
}

/** An opened, logged-in token session: the port the ceremony's token steps use. */
export interface HsmToken {
  readonly description: TokenDescription;
  /**
   * Why the token cannot wrap for this algorithm under this key, or undefined when it can: a
   * trial wrap of a session AES key, so nothing is left in the token either way.
   */
  readonly cannotWrap: (
    algorithm: WrappingAlgorithm,
    wrappingKeySpki: Buffer,
  ) => string | undefined;
  /** Why the token cannot generate (or prove) material of this spec, or undefined when it can. */
  readonly cannotGenerate: (keySpec: KeySpec) => string | undefined;
  /** Whether any object of the token (of any class) has this label. */
  readonly hasObjectLabelled: (label: string) => boolean;
  /** The labels of the token's key objects (secret and private keys). */
  readonly keyLabels: () => string[];
  /** Generates material as token objects (sensitive, extractable only to be wrapped). */
  readonly generate: (keySpec: KeySpec, name: TokenObjectName) => TokenKey;
  /** The key objects of this spec's key type with this label and/or CKA_ID. */
  readonly find: (keySpec: KeySpec, name: { label?: string; id?: Uint8Array }) => TokenKey[];
  /** Logs out, closes the session and finalizes the module. */
  readonly close: () => void;
}
