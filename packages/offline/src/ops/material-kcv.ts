import {
  createCipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  type Cipher,
} from 'node:crypto';
import {
  KCV_INPUT_BLOCK,
  KEY_SPEC_RULES,
  keyCheckValue,
  type KeySpec,
} from '@byok-ceremony/shared';

/** DER SubjectPublicKeyInfo of a PKCS#8 DER private key. */
export function publicKeyOfPrivate(pkcs8: Buffer): Buffer {
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
}

/** The material's key check value, with node:crypto computing what shared's definition takes. */
export function materialKcv(keySpec: KeySpec, material: Buffer): string {
  const rule = KEY_SPEC_RULES[keySpec].material;
  // One AES-ECB context for the whole CMAC, made only if the CMAC asks for a block (symmetric
  // material): a context per block cost more than half an RSA-OAEP wrap of the same key.
  let cipher: Cipher | undefined;
  try {
    return keyCheckValue(keySpec, {
      aesEncryptBlock: (block) => {
        if (cipher === undefined) {
          cipher = createCipheriv('aes-256-ecb', material, null);
          cipher.setAutoPadding(false);
        }
        // ECB without padding returns each whole block from update. The block holds
        // secret-derived values (AES_K(0) is CMAC's subkey seed): aesCmac zeroes it after use.
        return cipher.update(block);
      },
      hmacOfZeroBlock: () =>
        createHmac(rule?.kind === 'hmac' ? rule.hash : 'sha256', material)
          .update(KCV_INPUT_BLOCK)
          .digest(),
      publicKeyDer: () => publicKeyOfPrivate(material),
    });
  } finally {
    // Ends the context (nothing is buffered: every block was whole).
    cipher?.final();
  }
}
