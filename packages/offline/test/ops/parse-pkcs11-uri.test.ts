import { describe, expect, it } from 'vitest';
import { ByokError } from '@byok-ceremony/shared';
import { parsePkcs11Uri } from '../../src/ops/parse-pkcs11-uri.js';

const MODULE = 'module-path=/usr/lib/softhsm/libsofthsm2.so';

function refusal(uri: string): ByokError {
  try {
    parsePkcs11Uri(uri);
  } catch (error) {
    expect(error).toBeInstanceOf(ByokError);
    return error as ByokError;
  }
  throw new Error(`${uri} was accepted`);
}

describe('parsePkcs11Uri (RFC 7512, strict)', () => {
  it('reads the token, the module, the PIN file and percent-encoded values', () => {
    expect(
      parsePkcs11Uri(
        `pkcs11:token=Ceremony%20Token;serial=abef21c8;manufacturer=SoftHSM%20project;model=SoftHSM%20v2?${MODULE}&pin-source=file:/media/pin%20file.txt`,
      ),
    ).toEqual({
      modulePath: '/usr/lib/softhsm/libsofthsm2.so',
      token: {
        label: 'Ceremony Token',
        serial: 'abef21c8',
        manufacturer: 'SoftHSM project',
        model: 'SoftHSM v2',
      },
      pinFile: '/media/pin file.txt',
    });
  });

  it('takes the forms of a file: URI, a relative PIN file, an object and its id', () => {
    const pin = (source: string) =>
      parsePkcs11Uri(`pkcs11:token=t?${MODULE}&pin-source=${source}`).pinFile;
    expect(pin('file:///run/pin')).toBe('/run/pin');
    expect(pin('file://localhost/run/pin')).toBe('/run/pin');
    expect(pin('file:pin.txt')).toBe('pin.txt');
    const named = parsePkcs11Uri(`pkcs11:serial=1;object=a%2Fb;id=%01%ff?${MODULE}`);
    expect(named.object).toBe('a/b');
    expect([...named.id!]).toEqual([1, 255]);
    expect(named.pinFile).toBeUndefined();
  });

  it.each([
    ['pkcs12:token=t', /is not a PKCS#11 URI/, /pkcs11:token=LABEL/],
    [`pkcs11:token=t`, /no module-path/, /module-path=\/usr\/lib\/softhsm/],
    [
      `pkcs11:token=t?module-path=libsofthsm2.so`,
      /must be an absolute path/,
      /relative path would load/,
    ],
    [`pkcs11:object=k?${MODULE}`, /names no token/, /token= and\/or serial=|label and\/or serial/],
    [`pkcs11:token=t;token=u?${MODULE}`, /token is given twice/, /Give token once/],
    [`pkcs11:token=t;;serial=1?${MODULE}`, /an empty attribute/, /RFC 7512/],
    [`pkcs11:token=?${MODULE}`, /token has no value/, /token=…/],
    [`pkcs11:token=a b?${MODULE}`, /which a PKCS#11 URI must percent-encode/, /%20/],
    [`pkcs11:token=a%2?${MODULE}`, /% not followed by two hex digits/, /%XX/],
    [`pkcs11:token=%ff?${MODULE}`, /not UTF-8/, /UTF-8/],
    [
      `pkcs11:token=t;colour=red?${MODULE}`,
      /unknown attribute "colour"/,
      /the query takes module-path, pin-source/,
    ],
    [`pkcs11:token=t;module-path=/x.so`, /module-path belongs in the query/, /separated by &/],
    [
      `pkcs11:token=t?${MODULE}&pin-value=1234`,
      /pin-value is not accepted/,
      /pin-source=file:PATH/,
    ],
    [`pkcs11:token=t?module-name=softhsm2`, /module-name is not accepted/, /absolute path/],
    [
      `pkcs11:token=t;type=secret-key?${MODULE}`,
      /type is not accepted/,
      /chooses the object classes/,
    ],
    [`pkcs11:token=t;slot-id=1?${MODULE}`, /slot-id is not accepted/, /slot numbers change/],
    [
      `pkcs11:token=t?${MODULE}&pin-source=|/bin/askpin`,
      /pin-source must be a file: URI/,
      /mode 0600/,
    ],
    [`pkcs11:token=t?${MODULE}&pin-source=file://vault/pin`, /on another host/, /on this machine/],
    [`pkcs11:token=t?${MODULE}#frag`, /no fragment/, /%23/],
    [`pkcs11:token=t?`, /nothing after \?/, /RFC 7512/],
  ])('%s is refused with its own error and hint', (uri, message, hint) => {
    const error = refusal(uri);
    expect(error.code).toBe('ERR_HSM_URI');
    expect(error.message).toMatch(/^--hsm: /);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
  });

  it('never echoes a PIN given in the URI', () => {
    const error = refusal(`pkcs11:token=t?${MODULE}&pin-value=S3cret-9917`);
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain('S3cret-9917');
  });
});
