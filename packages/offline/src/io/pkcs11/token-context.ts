import type { PKCS11, Template } from 'pkcs11js';
import type { Pkcs11Lib } from './load-pkcs11.js';

/** One logged-in read-write session on the token, and what the token said it can do. */
export interface TokenContext {
  readonly lib: Pkcs11Lib;
  readonly module: PKCS11;
  readonly slot: Buffer;
  readonly session: Buffer;
  /** The token's mechanisms and their CKF_ flags (C_GetMechanismList, C_GetMechanismInfo). */
  readonly mechanisms: ReadonlyMap<number, { readonly flags: number; readonly maxKeySize: number }>;
}

/** Every object of the session that matches the template (C_FindObjects until none is left). */
export function findObjects(ctx: TokenContext, template: Template): Buffer[] {
  const { module, session } = ctx;
  module.C_FindObjectsInit(session, template);
  try {
    const found: Buffer[] = [];
    for (;;) {
      const batch = module.C_FindObjects(session, 64);
      if (batch.length === 0) return found;
      found.push(...batch);
    }
  } finally {
    module.C_FindObjectsFinal(session);
  }
}

/** True when the token lists the mechanism with every one of the CKF_ flags given. */
export function hasMechanism(ctx: TokenContext, mechanism: number, flags = 0): boolean {
  const info = ctx.mechanisms.get(mechanism);
  return info !== undefined && (info.flags & flags) === flags;
}
