import {
  constants,
  createCipheriv,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';

/** What an operator's machine does to key material with KMS's wrapping public key. */
export function wrapForKms(publicKeyDer: Uint8Array, algorithm: string, material: Buffer): Buffer {
  const hash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const key = {
    key: Buffer.from(publicKeyDer),
    format: 'der' as const,
    type: 'spki' as const,
    padding: constants.RSA_PKCS1_OAEP_PADDING,
    oaepHash: hash,
  };
  if (!algorithm.startsWith('RSA_AES_KEY_WRAP_')) return publicEncrypt(key, material);
  const aesKey = randomBytes(32);
  const kwp = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('A65959A6', 'hex'));
  return Buffer.concat([publicEncrypt(key, aesKey), kwp.update(material), kwp.final()]);
}

const cache = new Map<string, Buffer>();

/** Throwaway material of the right kind for a key spec. */
export function materialFor(keySpec: string): Buffer {
  const cached = cache.get(keySpec);
  if (cached !== undefined) return cached;
  let material: Buffer;
  if (keySpec === 'SYMMETRIC_DEFAULT') material = randomBytes(32);
  else if (keySpec.startsWith('HMAC_')) material = randomBytes(Number(keySpec.slice(5)) / 8);
  else if (keySpec.startsWith('RSA_')) {
    material = generateKeyPairSync('rsa', {
      modulusLength: Number(keySpec.slice(4)),
    }).privateKey.export({ format: 'der', type: 'pkcs8' });
  } else {
    const curve = {
      ECC_NIST_P256: 'prime256v1',
      ECC_NIST_P384: 'secp384r1',
      ECC_NIST_P521: 'secp521r1',
      ECC_SECG_P256K1: 'secp256k1',
    }[keySpec]!;
    material = generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({
      format: 'der',
      type: 'pkcs8',
    });
  }
  cache.set(keySpec, material);
  return material;
}

export function usageFor(
  keySpec: string,
): 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' {
  if (keySpec.startsWith('HMAC_')) return 'GENERATE_VERIFY_MAC';
  if (keySpec.startsWith('ECC_') || keySpec.startsWith('RSA_')) return 'SIGN_VERIFY';
  return 'ENCRYPT_DECRYPT';
}
