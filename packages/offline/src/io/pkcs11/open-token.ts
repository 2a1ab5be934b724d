import type { PKCS11, TokenInfo } from 'pkcs11js';
import { ByokError } from '@byok-ceremony/shared';
import type { HsmToken, TokenDescription } from '../../ops/hsm-token.js';
import type { Pkcs11Uri } from '../../ops/parse-pkcs11-uri.js';
import { loadPkcs11, type Pkcs11Lib } from './load-pkcs11.js';
import { ckrOf, pkcs11Call } from './pkcs11-failure.js';
import { findObjects, type TokenContext } from './token-context.js';
import { cannotGenerate, generateInToken } from './token-generate.js';
import { findKeyObjects, tokenKey } from './token-key.js';
import { cannotWrap } from './token-wrap.js';

/** CK_TOKEN_INFO's text fields are blank-padded to their fixed width. */
function describe(info: TokenInfo): TokenDescription {
  return {
    label: info.label.trimEnd(),
    serial: info.serialNumber.trimEnd(),
    manufacturer: info.manufacturerID.trimEnd(),
    model: info.model.trimEnd(),
  };
}

function loadModule(lib: Pkcs11Lib, modulePath: string): PKCS11 {
  const module = new lib.PKCS11();
  try {
    module.load(modulePath);
  } catch (error) {
    throw new ByokError(
      'ERR_HSM_MODULE',
      `the PKCS#11 module ${modulePath} did not load: ${(error as Error).message.split('\n')[0] ?? ''}`,
      {
        hint: "Check module-path in the --hsm URI: the token vendor's PKCS#11 library (.so) for this machine, e.g. /usr/lib/softhsm/libsofthsm2.so.",
      },
    );
  }
  pkcs11Call('initialize (C_Initialize)', () => {
    module.C_Initialize();
  });
  return module;
}

/** The one slot whose token matches every token attribute of the URI. */
function selectSlot(module: PKCS11, uri: Pkcs11Uri): { slot: Buffer; info: TokenInfo } {
  const present = pkcs11Call('list its slots', () =>
    module.C_GetSlotList(true).map((slot) => ({ slot, info: module.C_GetTokenInfo(slot) })),
  );
  const wanted = uri.token;
  const matches = present.filter(({ info }) => {
    const d = describe(info);
    return (
      (wanted.label === undefined || d.label === wanted.label) &&
      (wanted.serial === undefined || d.serial === wanted.serial) &&
      (wanted.manufacturer === undefined || d.manufacturer === wanted.manufacturer) &&
      (wanted.model === undefined || d.model === wanted.model)
    );
  });
  const listed =
    present
      .map(({ info }) => `${describe(info).label} (serial ${describe(info).serial})`)
      .join(', ') || 'none';
  if (matches.length === 0)
    throw new ByokError(
      'ERR_HSM_TOKEN',
      `no token matches the --hsm URI (tokens present: ${listed})`,
      {
        hint: 'Check token= and serial= in the URI against pkcs11-tool --module MODULE --list-token-slots, and that the token is connected.',
      },
    );
  if (matches.length > 1)
    throw new ByokError(
      'ERR_HSM_TOKEN',
      `${matches.length} tokens match the --hsm URI (${listed})`,
      {
        hint: 'Add serial=SERIAL to the URI so that it names one token.',
      },
    );
  return matches[0]!;
}

function login(lib: Pkcs11Lib, module: PKCS11, session: Buffer, pin: string | undefined): void {
  try {
    module.C_Login(session, lib.CKU_USER, pin);
  } catch (error) {
    const ckr = ckrOf(error);
    if (ckr === 'CKR_USER_ALREADY_LOGGED_IN') return;
    if (ckr === 'CKR_PIN_INCORRECT' || ckr === 'CKR_PIN_LEN_RANGE')
      throw new ByokError('ERR_HSM_PIN', 'the token refused the PIN', {
        hint: 'Check the PIN (pin-source file, or as typed); tokens lock the user PIN after a few wrong tries, so stop and ask the token officer before trying again.',
      });
    if (ckr === 'CKR_PIN_LOCKED')
      throw new ByokError('ERR_HSM_PIN', 'the token has locked its user PIN', {
        hint: 'The security officer must unlock or reset the user PIN (for SoftHSM: softhsm2-util, or pkcs11-tool --init-pin --login --login-type so).',
      });
    throw new ByokError(
      'ERR_HSM_PIN',
      `the token refused the login (${ckr ?? (error as Error).message})`,
      {
        hint: 'Check that the token is initialised and its user PIN set (pkcs11-tool --list-token-slots).',
      },
    );
  }
}

function mechanismsOf(module: PKCS11, slot: Buffer): TokenContext['mechanisms'] {
  return pkcs11Call('list its mechanisms', () => {
    const map = new Map<number, { flags: number; maxKeySize: number }>();
    for (const mechanism of module.C_GetMechanismList(slot)) {
      const info = module.C_GetMechanismInfo(slot, mechanism);
      map.set(mechanism, { flags: info.flags, maxKeySize: info.maxKeySize });
    }
    return map;
  });
}

/** The HsmToken port over one logged-in session. */
function tokenPort(ctx: TokenContext, description: TokenDescription, close: () => void): HsmToken {
  const { lib } = ctx;
  return {
    description,
    cannotWrap: (algorithm, spki) =>
      pkcs11Call('try the wrapping mechanism', () => cannotWrap(ctx, algorithm, spki)),
    cannotGenerate: (keySpec) => cannotGenerate(ctx, keySpec),
    hasObjectLabelled: (label) =>
      pkcs11Call('search the token', () =>
        findObjects(ctx, [{ type: lib.CKA_LABEL, value: label }]),
      ).length > 0,
    keyLabels: () =>
      pkcs11Call('search the token', () => [
        ...findObjects(ctx, [{ type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY }]),
        ...findObjects(ctx, [{ type: lib.CKA_CLASS, value: lib.CKO_PRIVATE_KEY }]),
      ]).map((object) =>
        pkcs11Call('read a label', () =>
          ctx.module
            .C_GetAttributeValue(ctx.session, object, [{ type: lib.CKA_LABEL }])[0]!
            .value.toString('utf8'),
        ),
      ),
    generate: (keySpec, name) => generateInToken(ctx, keySpec, name),
    find: (keySpec, name) =>
      findKeyObjects(ctx, keySpec, name).map((found) =>
        tokenKey(ctx, keySpec, found.name, found.objects),
      ),
    close,
  };
}

/**
 * Loads the module, selects the token, opens a read-write session and logs in as the user.
 * The PIN is asked only once the token is found (a PIN pad token takes none from us); it is
 * given to the module and dropped, never stored.
 */
export async function openToken(
  uri: Pkcs11Uri,
  askPin: (token: TokenDescription) => Promise<Buffer>,
): Promise<HsmToken> {
  const lib = await loadPkcs11();
  const module = loadModule(lib, uri.modulePath);
  const finalize = (): void => {
    try {
      module.C_Finalize();
    } finally {
      module.close();
    }
  };
  try {
    const { slot, info } = selectSlot(module, uri);
    const description = describe(info);
    const session = pkcs11Call('open a session', () =>
      module.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION),
    );
    if ((info.flags & lib.CKF_PROTECTED_AUTHENTICATION_PATH) !== 0)
      login(lib, module, session, undefined);
    else {
      const pin = await askPin(description);
      try {
        // pkcs11js takes the PIN as a string: that copy cannot be zeroed (docs/offline.md, Secrets).
        login(lib, module, session, pin.toString('utf8'));
      } finally {
        pin.fill(0);
      }
    }
    const ctx: TokenContext = {
      lib,
      module,
      slot,
      session,
      mechanisms: mechanismsOf(module, slot),
    };
    return tokenPort(ctx, description, () => {
      try {
        module.C_Logout(session);
        module.C_CloseSession(session);
      } finally {
        finalize();
      }
    });
  } catch (error) {
    finalize();
    throw error;
  }
}
