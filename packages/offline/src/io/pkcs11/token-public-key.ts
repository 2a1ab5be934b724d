import { createPublicKey } from 'node:crypto';
import { ByokError, type KeySpec, KEY_SPEC_RULES } from '@byok-ceremony/shared';

/** JWK curve names and coordinate lengths of the curves KMS imports. */
const CURVES = {
  prime256v1: { crv: 'P-256', bytes: 32 },
  secp384r1: { crv: 'P-384', bytes: 48 },
  secp521r1: { crv: 'P-521', bytes: 66 },
  secp256k1: { crv: 'secp256k1', bytes: 32 },
} as const;

/** CKA_EC_PARAMS of each curve: the DER of its named-curve OID. */
export const EC_PARAMS_DER = {
  prime256v1: Buffer.from('06082a8648ce3d030107', 'hex'),
  secp384r1: Buffer.from('06052b81040022', 'hex'),
  secp521r1: Buffer.from('06052b81040023', 'hex'),
  secp256k1: Buffer.from('06052b8104000a', 'hex'),
} as const;

function badPoint(keySpec: KeySpec): ByokError {
  return new ByokError('ERR_HSM', `the token's CKA_EC_POINT is not a ${keySpec} public point`, {
    hint: 'The token returned a point of another curve or form: check the object with pkcs11-tool --read-object --type pubkey.',
  });
}

/**
 * The uncompressed point of CKA_EC_POINT: PKCS#11 says a DER OCTET STRING around it (SoftHSM
 * does that), some tokens give the bare point; the curve's length tells the two apart.
 */
function uncompressedPoint(ecPoint: Buffer, coordinateBytes: number, keySpec: KeySpec): Buffer {
  const bare = 1 + 2 * coordinateBytes;
  if (ecPoint.length === bare && ecPoint[0] === 0x04) return ecPoint;
  if (ecPoint[0] !== 0x04) throw badPoint(keySpec);
  let offset = 2;
  let length = ecPoint[1]!;
  if (length === 0x81) {
    length = ecPoint[2]!;
    offset = 3;
  }
  const point = ecPoint.subarray(offset);
  if (length !== bare || point.length !== bare || point[0] !== 0x04) throw badPoint(keySpec);
  return point;
}

/** DER SubjectPublicKeyInfo of an EC key from its token attribute CKA_EC_POINT. */
export function ecPublicKeyDer(keySpec: KeySpec, ecPoint: Buffer): Buffer {
  const rule = KEY_SPEC_RULES[keySpec].material;
  if (rule?.kind !== 'ec-private') throw new TypeError(`${keySpec} is not an EC key spec`);
  const { crv, bytes } = CURVES[rule.curve];
  const point = uncompressedPoint(ecPoint, bytes, keySpec);
  const x = point.subarray(1, 1 + bytes).toString('base64url');
  const y = point.subarray(1 + bytes).toString('base64url');
  return createPublicKey({ key: { kty: 'EC', crv, x, y }, format: 'jwk' }).export({
    format: 'der',
    type: 'spki',
  });
}

/** DER SubjectPublicKeyInfo of an RSA key from CKA_MODULUS and CKA_PUBLIC_EXPONENT. */
export function rsaPublicKeyDer(modulus: Buffer, exponent: Buffer): Buffer {
  const n = modulus.toString('base64url');
  const e = exponent.toString('base64url');
  return createPublicKey({ key: { kty: 'RSA', n, e }, format: 'jwk' }).export({
    format: 'der',
    type: 'spki',
  });
}

/** The modulus and exponent of an RSA public key (DER SPKI), as the token's attributes take them. */
export function rsaPartsOf(spki: Buffer): { readonly modulus: Buffer; readonly exponent: Buffer } {
  const jwk = createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || jwk.n === undefined || jwk.e === undefined)
    throw new TypeError('not an RSA public key');
  return { modulus: Buffer.from(jwk.n, 'base64url'), exponent: Buffer.from(jwk.e, 'base64url') };
}
